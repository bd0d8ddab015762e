import Billing
import Contracts
import Foundation
import Kernel
import Testing

/// ``BillingAPI``'s contract, held by the local service and by the client over the internal API alike: the same
/// calls give the same answers and the same typed errors in both modes.
@Suite("Billing contract")
struct BillingContractTests {
    static let start = LocalDate("2026-11-01")!

    @Test("Tariffs: create, list, reprice and archive", arguments: Mode.allCases)
    func tariffs(mode: Mode) async throws {
        try await BillingEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let tariff = try await api.createTariff(Self.newTariff("home-100"))
            #expect(tariff.code == "home-100")
            #expect(try await api.tariffs(includeArchived: false).map(\.id) == [tariff.id])
            let repriced = try await api.setTariffPrice(tariffID: tariff.id, monthlyPrice: .rub(700), effectiveFrom: LocalDate("2027-01-01")!)
            #expect(repriced.prices.count == 2)
            let archived = try await api.archiveTariff(tariffID: tariff.id)
            #expect(archived.isArchived)
            #expect(try await api.tariffs(includeArchived: false).isEmpty)
            #expect(try await api.tariffs(includeArchived: true).map(\.id) == [tariff.id])
            await #expect(throws: BillingError.notFound) { try await api.archiveTariff(tariffID: "missing") }
        }
    }

    @Test("Accounts: open, balance, credit limit, locale and the ledger", arguments: Mode.allCases)
    func accounts(mode: Mode) async throws {
        try await BillingEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let opened = try await api.openAccount(customerID: "c-1", userID: "u-1")
            #expect(opened.balance == .rub(0))
            #expect(try await api.balance(of: .user("u-1")) == opened)
            let limited = try await api.setCreditLimit(customerID: "c-1", creditLimit: .rub(300))
            #expect(limited.creditLimit == .rub(300))
            try await api.setLocale(of: .customer("c-1"), locale: "en")
            _ = try await api.recordPayment(
                ManualPayment(customerId: "c-1", amount: .rub(1000), method: .cash, reference: "receipt 7"), by: "op-1",
                idempotency: Self.token())
            let page = try await api.transactions(of: .customer("c-1"), page: PageRequest(limit: 10))
            #expect(page.items.count == 1)
            #expect(page.items.first?.amount == .rub(1000))
            let verification = try await api.verifyLedger()
            #expect(verification.problems.isEmpty)
            await #expect(throws: BillingError.notFound) { try await api.balance(of: .customer("nobody")) }
        }
    }

    @Test("Subscriptions: create, preview and change the tariff, pause, terminate", arguments: Mode.allCases)
    func subscriptions(mode: Mode) async throws {
        try await BillingEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            _ = try await api.openAccount(customerID: "c-2", userID: "u-2")
            let basic = try await api.createTariff(Self.newTariff("basic"))
            let fast = try await api.createTariff(Self.newTariff("fast", price: 900))
            let subscription = try await api.createSubscription(
                NewSubscription(customerId: "c-2", contractId: "k-2", tariffId: basic.id, startsOn: Self.start))
            #expect(try await api.subscriptions(of: .user("u-2")).map(\.id) == [subscription.id])
            let change = TariffChange(subscriptionId: subscription.id, tariffId: fast.id, timing: .nextPeriod)
            let preview = try await api.previewTariffChange(of: .user("u-2"), change)
            let key = Self.token()
            let changed = try await api.changeTariff(of: .user("u-2"), change, idempotency: key)
            #expect(changed == preview)
            #expect(try await api.changeTariff(of: .user("u-2"), change, idempotency: key) == changed)
            await #expect(throws: BillingError.notFound) {
                try await api.terminateSubscription(subscriptionID: "missing", endsOn: LocalDate("2026-12-31")!)
            }
            let ended = try await api.terminateSubscription(subscriptionID: subscription.id, endsOn: LocalDate("2027-01-31")!)
            #expect(ended.id == subscription.id)
        }
    }

    @Test("Payments: record, pay an invoice, read, refund; the same key gives the same payment", arguments: Mode.allCases)
    func payments(mode: Mode) async throws {
        try await BillingEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            _ = try await api.openAccount(customerID: "c-3", userID: "u-3")
            let key = Self.token()
            let topUp = try await api.recordPayment(
                ManualPayment(customerId: "c-3", amount: .rub(500), method: .cash, reference: nil), by: "op-1", idempotency: key)
            let again = try await api.recordPayment(
                ManualPayment(customerId: "c-3", amount: .rub(500), method: .cash, reference: nil), by: "op-1", idempotency: key)
            #expect(again == topUp)
            let read = try await api.payment(id: topUp.id, of: .customer("c-3"))
            #expect(read.id == topUp.id && read.amount == topUp.amount && read.status == topUp.status)
            await #expect(throws: BillingError.notFound) { try await api.payment(id: topUp.id, of: .customer("someone-else")) }
            let refund = try await api.refund(
                RefundRequest(paymentId: topUp.id, amount: .rub(100), reason: "overpaid"), by: "op-1", idempotency: Self.token())
            #expect(refund.refundedAmount == .rub(100))
            // Nothing to pay: the typed refusal crosses the hop as itself.
            await #expect(throws: BillingError.self) {
                try await api.pay(of: .user("u-3"), PaymentOrder(invoiceId: "missing", amount: nil, method: .balance), idempotency: Self.token())
            }
            do {
                _ = try await api.recordPayment(
                    ManualPayment(customerId: "c-3", amount: .rub(-5), method: .cash, reference: nil), by: "op-1", idempotency: Self.token())
                Issue.record("a negative amount was accepted")
            } catch let error as BillingError {
                guard case .invalidField(let field, _) = error else { throw error }
                #expect(field == "amount")
            }
        }
    }

    @Test("Runs: start, read, list; invoices and debtors", arguments: Mode.allCases)
    func runs(mode: Mode) async throws {
        try await BillingEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            _ = try await api.openAccount(customerID: "c-4", userID: "u-4")
            let tariff = try await api.createTariff(Self.newTariff("run"))
            _ = try await api.createSubscription(NewSubscription(customerId: "c-4", contractId: "k-4", tariffId: tariff.id, startsOn: Self.start))
            let finished = try await endpoint.service.runBilling(period: BillingPeriod("2026-12")!, dryRun: false, by: "op-1")
            #expect(try await api.billingRun(id: finished.id) == finished)
            #expect(try await api.billingRuns(page: PageRequest()).items.map(\.id) == [finished.id])
            let invoices = try await api.invoices(of: .user("u-4"), page: PageRequest())
            #expect(invoices.items.count == 1)
            let detail = try await api.invoice(id: invoices.items[0].id, of: .user("u-4"))
            #expect(detail.invoice == invoices.items[0])
            await #expect(throws: BillingError.notFound) { try await api.invoice(id: invoices.items[0].id, of: .user("u-other")) }
            _ = try await api.debtors(page: PageRequest())
            let started = try await api.startBillingRun(period: BillingPeriod("2027-01")!, dryRun: true, by: "op-1")
            #expect(started.period == BillingPeriod("2027-01")!)
        }
    }

    @Test("Promised payment: the offer and its refusal", arguments: Mode.allCases)
    func promisedPayment(mode: Mode) async throws {
        try await BillingEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            _ = try await api.openAccount(customerID: "c-5", userID: "u-5")
            let offer = try await api.promisedPaymentOffer(of: .user("u-5"))
            #expect(!offer.isAvailable)
            await #expect(throws: BillingError.self) {
                try await api.takePromisedPayment(of: .user("u-5"), amount: .rub(100), idempotency: Self.token())
            }
        }
    }

    @Test("A provider notification that does not verify is refused the same way", arguments: Mode.allCases)
    func providerNotification(mode: Mode) async throws {
        try await BillingEndpoint.with(mode) { endpoint in
            await #expect(throws: BillingError.notFound) {
                try await endpoint.api.handleProviderNotification(
                    ProviderNotificationInput(provider: "nowhere", body: Array("{}".utf8), headers: [:]))
            }
            await #expect(throws: BillingError.invalidSignature) {
                try await endpoint.api.handleProviderNotification(
                    ProviderNotificationInput(provider: "sandbox", body: Array("{}".utf8), headers: ["x-sandbox-signature": "bad"]))
            }
            let providers = try await endpoint.api.paymentProviders()
            #expect(providers.map(\.name) == ["sandbox"])
        }
    }

    @Test("Saved cards and autopay: listed, set, refused for another's card, deleted", arguments: Mode.allCases)
    func savedCardsAndAutopay(mode: Mode) async throws {
        try await BillingEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            _ = try await api.openAccount(customerID: "c-9", userID: "u-9")
            _ = try await api.openAccount(customerID: "c-10", userID: "u-10")
            let order = PaymentOrder(
                invoiceId: nil, amount: .rub(5000), method: .provider, provider: "sandbox", saveMethod: true, receiptEmail: "c9@example.ru")
            let payment = try await api.pay(of: .user("u-9"), order, idempotency: Self.token())
            let token = payment.confirmationURL.flatMap { URLComponents(string: $0)?.queryItems?.first { $0.name == "token" }?.value }
            _ = try await endpoint.service.decideSandboxPayment(paymentID: payment.id, token: token, succeeded: true)
            let methods = try await api.savedMethods(of: .user("u-9"))
            let method = try #require(methods.first)
            #expect(try await api.savedMethods(of: .user("u-10")).isEmpty)
            await #expect(throws: BillingError.invalidField(field: "methodId", reason: "not a saved method of this account")) {
                _ = try await api.setAutopay(of: .user("u-10"), AutopaySettings(enabled: true, methodId: method.id))
            }
            let autopay = try await api.setAutopay(of: .user("u-9"), AutopaySettings(enabled: true, methodId: method.id))
            #expect(autopay.settings?.enabled == true && autopay.method == method)
            #expect(try await api.autopay(of: .user("u-9")) == autopay)
            await #expect(throws: BillingError.notFound) { try await api.deleteSavedMethod(id: method.id, of: .user("u-10")) }
            try await api.deleteSavedMethod(id: method.id, of: .user("u-9"))
            #expect(try await api.autopay(of: .user("u-9")).settings?.enabled == false)
        }
    }

    static func newTariff(_ code: String, price: Int64 = 600) -> NewTariff {
        NewTariff(
            code: code, nameRu: "Тариф \(code)", nameEn: "Tariff \(code)", downloadMbps: 100, uploadMbps: 100, vat: .standard,
            creditLimit: .rub(0), monthlyPrice: .rub(price), effectiveFrom: LocalDate("2026-01-01")!)
    }

    static func token() -> IdempotencyToken { IdempotencyToken(key: UUID().uuidString, fingerprint: "f") }
}
