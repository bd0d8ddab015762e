import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@testable import Billing

/// The JSON that PostgreSQL writes from SQL (the balance payment's one statement, the monthly run's set-based batches)
/// decodes with the Swift decoder of its type and says what happened.
@Suite("JSON written by SQL", .serialized, .enabled(if: DatabaseKind.postgresURL != nil))
struct WrittenBySQLTests {
    /// Pays by the one statement alone: the transaction it would fall back to fails the test.
    static func payByStatement(_ h: BillingHarness, _ owner: AccountOwner, invoiceID: String, amount: Money?) async throws -> Payment {
        let (sql, binds) = try h.billing.balancePaymentStatement(owner: owner, invoiceID: invoiceID, amount: amount)
        let statement = IdempotentStatement(sql, binds: binds) { try JSONDecoder().decode(Payment.self, from: Data($0.utf8)) }
        let request = IdempotentRequest(scope: "billing.pay:test", key: UUID().uuidString, fingerprint: "f")
        let outcome = try await h.billing.idempotency.keys.perform(request, statement: statement, status: 200) { _ -> (Payment, SavedResult) in
            Issue.record("the statement did not settle the payment alone")
            throw CancellationError()
        }
        guard case .executed(let payment) = outcome else { throw CancellationError() }
        return payment
    }

    @Test
    func everyEventAndAnswerDecodesAsItsType() async throws {
        try await BillingHarness.with(.postgres) { h in
            let tariff = try await h.tariff(price: 620_00)
            let customers = [try await h.customer(), try await h.customer()]
            for customer in customers { try await h.subscribe(customer.customerID, tariff) }
            _ = try await h.run()
            let (customerID, userID) = customers[0]
            try await h.topUp(customerID, 1_000_00)
            let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)

            let part = try await Self.payByStatement(h, .customer(customerID), invoiceID: invoice.id, amount: .rub(120_00))
            let rest = try await Self.payByStatement(h, .user(userID), invoiceID: invoice.id, amount: nil)
            #expect(part.customerId == customerID && part.amount == .rub(120_00) && part.method == .balance && part.status == .succeeded)
            #expect(rest.customerId == customerID && rest.amount == .rub(500_00) && rest.invoiceId == invoice.id)
            #expect(try await h.billing.payment(id: rest.id, of: .user(userID)) == rest)
            let lines = try await h.billing.transactions(of: .customer(customerID), page: PageRequest()).items
            let texts = lines.filter { $0.paymentId == part.id || $0.paymentId == rest.id }.map(\.description)
            #expect(texts == Array(repeating: "Оплата счёта \(invoice.number) с баланса", count: 2))

            let answers = try await h.database.query("SELECT response_body FROM idempotency_keys WHERE scope = 'billing.pay:test'", [])
            let saved = try answers.map { try JSONDecoder().decode(Payment.self, from: Data(try $0.string("response_body").utf8)) }
            #expect(Set(saved) == [part, rest])

            var created: [InvoiceCreated] = []
            var payments: [PaymentCreated] = []
            var succeeded: [PaymentSucceeded] = []
            var paid: [InvoicePaid] = []
            for row in try await h.database.query("SELECT id, type, version, occurred_at, payload FROM outbox_events ORDER BY seq", []) {
                let event = EventEnvelope(
                    id: try row.string("id"), type: try row.string("type"), version: try row.int("version"), occurredAt: try row.date("occurred_at"),
                    payload: try row.string("payload"))
                switch event.type {
                case InvoiceCreated.type: created.append(try event.decode(InvoiceCreated.self))
                case PaymentCreated.type: payments.append(try event.decode(PaymentCreated.self))
                case PaymentSucceeded.type: succeeded.append(try event.decode(PaymentSucceeded.self))
                case InvoicePaid.type: paid.append(try event.decode(InvoicePaid.self))
                default: break
                }
            }
            var invoices: [Invoice] = []
            for customer in customers {
                invoices += try await h.billing.invoices(of: .customer(customer.customerID), page: PageRequest()).items
            }
            #expect(
                Set(created.map { [$0.invoiceId, $0.customerId, $0.number, $0.period.description, $0.dueOn.description, "\($0.total)"] })
                    == Set(invoices.map { [$0.id, $0.customerId, $0.number, $0.period.description, $0.dueOn.description, "\($0.total)"] }))
            let balance = [part, rest].map {
                PaymentCreated(paymentId: $0.id, customerId: customerID, invoiceId: invoice.id, amount: $0.amount, method: .balance)
            }
            #expect(payments.filter { $0.method == .balance } == balance)
            #expect(
                succeeded.filter { $0.method == .balance }
                    == balance.map {
                        PaymentSucceeded(paymentId: $0.paymentId, customerId: customerID, invoiceId: invoice.id, amount: $0.amount, method: .balance)
                    })
            #expect(paid == [InvoicePaid(invoiceId: invoice.id, customerId: customerID, total: .rub(620_00))])
            #expect(try await h.expectClean().isClean)
        }
    }
}
