import Acquiring
import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport

/// A billing service over a fresh database with a manual clock set to 2026-12-01 10:00 in Moscow.
struct BillingHarness: Sendable {
    let database: any Database
    let clock: ManualClock
    let billing: BillingService
    let settings: BillingSettings

    static let start = LocalDate(year: 2026, month: 12, day: 1)!.start(in: .moscow).addingTimeInterval(10 * 3600)

    static func with(
        _ kind: DatabaseKind, start: Date = BillingHarness.start, configure: @escaping @Sendable (inout BillingSettings) -> Void = { _ in },
        providers: @escaping @Sendable (any Database, BillingSettings, ManualClock) -> [any PaymentProvider] = { _, _, _ in [] },
        _ body: @escaping @Sendable (BillingHarness) async throws -> Void
    ) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, BillingMigrations.set]) { database in
            var settings = BillingSettings()
            settings.runBatchSize = 7
            configure(&settings)
            let clock = ManualClock(start: start)
            let billing = BillingService(
                database: database, settings: settings, clock: clock, providers: providers(database, settings, clock), logger: TestDatabases.logger)
            try await body(BillingHarness(database: database, clock: clock, billing: billing, settings: settings))
        }
    }

    var today: LocalDate { LocalDate(containing: clock.now(), in: .moscow) }

    /// Moves the clock to 10:00 on `day`.
    func move(to day: LocalDate) {
        clock.advance(by: day.start(in: .moscow).addingTimeInterval(10 * 3600).timeIntervalSince(clock.now()))
    }

    /// A customer with an open account (and their user id).
    func customer(_ name: String = UUID().uuidString) async throws -> (customerID: String, userID: String) {
        let ids = ("c-" + name, "u-" + name)
        _ = try await billing.openAccount(customerID: ids.0, userID: ids.1)
        return ids
    }

    func tariff(price: Int64, creditLimit: Int64 = 0, vat: VATTreatment = .standard, from: LocalDate = LocalDate("2026-01-01")!) async throws
        -> Tariff
    {
        let code = "t-" + UUID().uuidString.prefix(8).lowercased()
        return try await billing.createTariff(
            NewTariff(
                code: code, nameRu: "Тариф \(code)", nameEn: "Tariff \(code)", downloadMbps: 100, uploadMbps: 100, vat: vat,
                creditLimit: .rub(creditLimit), monthlyPrice: .rub(price), effectiveFrom: from))
    }

    @discardableResult
    func subscribe(_ customerID: String, _ tariff: Tariff, from: LocalDate = LocalDate("2026-11-01")!) async throws -> Subscription {
        try await billing.createSubscription(
            NewSubscription(customerId: customerID, contractId: "k-" + customerID, tariffId: tariff.id, startsOn: from))
    }

    @discardableResult
    func topUp(_ customerID: String, _ amount: Int64) async throws -> Payment {
        try await billing.recordPayment(
            ManualPayment(customerId: customerID, amount: .rub(amount), method: .cash, reference: nil), by: "operator-1", idempotency: Self.token())
    }

    /// A provider payment order with a receipt e-mail.
    static func online(invoice: String? = nil, amount: Int64? = nil, provider: String? = "sandbox") -> PaymentOrder {
        PaymentOrder(
            invoiceId: invoice, amount: amount.map { .rub($0) }, method: .provider, provider: provider, receiptEmail: "payer@example.ru")
    }

    /// The page token in a sandbox confirmation URL.
    static func pageToken(_ payment: Payment) -> String? {
        payment.confirmationURL.flatMap { URLComponents(string: $0)?.queryItems?.first { $0.name == "token" }?.value }
    }

    static func token(_ key: String = UUID().uuidString, fingerprint: String = "f") -> IdempotencyToken {
        IdempotencyToken(key: key, fingerprint: fingerprint)
    }

    func run(_ period: String = "2026-12", dryRun: Bool = false) async throws -> BillingRun {
        try await billing.runBilling(period: BillingPeriod(period)!, dryRun: dryRun, by: "operator-1")
    }

    func balance(_ customerID: String) async throws -> Int64 {
        try await billing.balance(of: .customer(customerID)).balance.minorUnits
    }

    func outboxTypes() async throws -> [String] {
        try await database.query("SELECT type FROM outbox_events ORDER BY seq", []).map { try $0.string("type") }
    }

    func expectClean() async throws -> LedgerVerification {
        try await billing.verifyLedger()
    }
}
