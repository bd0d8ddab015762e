import Acquiring
import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

/// The fiscal receipt a provider payment carries, read back from what billing keeps for the provider.
@Suite("Fiscal receipts of provider payments", .serialized)
struct ReceiptTests {
    /// The receipt stored with a payment's provider request.
    static func receipt(of paymentID: String, _ h: BillingHarness) async throws -> FiscalReceipt {
        let stored = try #require(try await h.database.query("SELECT provider_request FROM payments WHERE id = $1", paymentID).first)
        struct Request: Decodable { var receipt: FiscalReceipt }
        return try JSONDecoder().decode(Request.self, from: Data(try stored.string("provider_request").utf8)).receipt
    }

    @Test(arguments: DatabaseKind.available)
    func randomInvoicesPrintTheirLinesAndAddUpToThePayment(kind: DatabaseKind) async throws {
        var generator = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: 1...UInt64.max, using: &generator)
        var random = SplitMix64(seed: seed)
        // Each customer's subscriptions: the tariff's VAT, its price and the day the subscription starts.
        let plans: [[(VATTreatment, Int64, Int)]] = (0..<6).map { _ in
            (0..<Int.random(in: 1...4, using: &random)).map { _ in
                (
                    Bool.random(using: &random) ? .standard : .exempt, Int64.random(in: 1...5_000_00, using: &random),
                    10 + Int.random(in: 0...18, using: &random)
                )
            }
        }
        try await BillingHarness.with(kind) { h in
            var users: [String] = []
            for plan in plans {
                let (customerID, userID) = try await h.customer()
                for (vat, price, day) in plan {
                    try await h.subscribe(customerID, try await h.tariff(price: price, vat: vat), from: LocalDate("2026-11-\(day)")!)
                }
                users.append(userID)
            }
            _ = try await h.run()
            for userID in users {
                let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)
                let detail = try await h.billing.invoice(id: invoice.id, of: .user(userID))
                let payment = try await h.billing.pay(
                    of: .user(userID), BillingHarness.online(invoice: invoice.id), idempotency: BillingHarness.token())
                let receipt = try await Self.receipt(of: payment.id, h)
                #expect(receipt.total == payment.amount.minorUnits, "seed \(seed)")
                #expect(receipt.problem(forAmount: payment.amount) == nil, "seed \(seed)")
                #expect(receipt.customer.email == "payer@example.ru")
                #expect(receipt.items.map(\.price) == detail.lines.map(\.amount), "seed \(seed)")
                let expected = detail.lines.map { line in
                    FiscalVAT.of(line.vatRatePercent.map { VATRate(percent: Int64($0)) }, calculated: false)
                }
                #expect(receipt.items.map(\.vat) == expected, "seed \(seed)")
                #expect(receipt.items.allSatisfy { $0.subject == .service && $0.mode == .fullPayment })
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aTopUpIsAnAdvanceAtTheCalculatedRateOfTheTaxDay(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (_, userID) = try await h.customer()
            let payment = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 1_234_56), idempotency: BillingHarness.token())
            let receipt = try await Self.receipt(of: payment.id, h)
            #expect(receipt.items.count == 1)
            #expect(receipt.items.first?.vat == .vat122 && receipt.items.first?.mode == .advance && receipt.items.first?.subject == .payment)
            #expect(receipt.total == 1_234_56)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func partOfAnInvoicePrintsOneLineForThePartPaid(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID) = try await h.customer()
            try await h.subscribe(customerID, try await h.tariff(price: 900_00))
            try await h.subscribe(customerID, try await h.tariff(price: 300_00, vat: .exempt))
            _ = try await h.run()
            let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)
            var order = BillingHarness.online(invoice: invoice.id)
            order.amount = .rub(100_00)
            let payment = try await h.billing.pay(of: .user(userID), order, idempotency: BillingHarness.token())
            let receipt = try await Self.receipt(of: payment.id, h)
            #expect(receipt.items.count == 1 && receipt.total == 100_00 && receipt.items.first?.vat == .vat22)
        }
    }
}
