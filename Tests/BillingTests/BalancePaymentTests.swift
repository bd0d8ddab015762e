import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Paying an invoice from the balance")
struct BalancePaymentTests {
    /// A customer with a December invoice of 620 ₽ and `balance` kopecks on the account.
    static func invoiced(_ h: BillingHarness, balance: Int64) async throws -> (customerID: String, userID: String, invoice: Invoice) {
        let (customerID, userID) = try await h.customer()
        try await h.subscribe(customerID, try await h.tariff(price: 620_00))
        _ = try await h.run()
        try await h.topUp(customerID, balance)
        let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)
        return (customerID, userID, invoice)
    }

    /// PostgreSQL writes a balance payment in one statement, SQLite step by step: both leave the same statement line
    /// and the same events, which decode as their types.
    @Test(arguments: DatabaseKind.available)
    func thePaymentWritesItsLedgerLineAndEvents(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID, invoice) = try await Self.invoiced(h, balance: 1_000_00)
            let before = try await h.database.query("SELECT seq FROM outbox_events", []).count

            let part = try await h.billing.pay(
                of: .user(userID), PaymentOrder(invoiceId: invoice.id, amount: .rub(120_00), method: .balance), idempotency: BillingHarness.token())
            #expect(part.amount == .rub(120_00) && part.status == .succeeded && part.customerId == customerID)
            let rest = try await h.billing.pay(
                of: .customer(customerID), PaymentOrder(invoiceId: invoice.id, amount: nil, method: .balance), idempotency: BillingHarness.token())
            #expect(rest.amount == .rub(500_00))
            #expect(try await h.balance(customerID) == 380_00)
            #expect(try await h.billing.invoice(id: invoice.id, of: .user(userID)).invoice.status == .paid)

            let lines = try await h.billing.transactions(of: .customer(customerID), page: PageRequest()).items
            let paid = lines.filter { $0.paymentId == part.id || $0.paymentId == rest.id }
            #expect(paid.count == 2)
            #expect(paid.allSatisfy { $0.description == "Оплата счёта \(invoice.number) с баланса" && $0.invoiceId == invoice.id })
            #expect(Set(paid.map(\.amount)) == [.rub(-120_00), .rub(-500_00)])

            let rows = try await h.database.query("SELECT id, type, version, occurred_at, payload FROM outbox_events ORDER BY seq", [])
            let events = try rows.dropFirst(before).map {
                EventEnvelope(
                    id: try $0.string("id"), type: try $0.string("type"), version: Int(try $0.int64("version")),
                    occurredAt: try $0.date("occurred_at"), payload: try $0.string("payload"))
            }
            // Within one payment's transaction the order of its events is the engine's; across payments it is theirs.
            #expect(events.map(\.type).sorted() == ["invoice.paid", "payment.created", "payment.created", "payment.succeeded", "payment.succeeded"])
            let created = try events.filter { $0.type == PaymentCreated.type }.map { try $0.decode(PaymentCreated.self) }
            #expect(
                created == [
                    PaymentCreated(paymentId: part.id, customerId: customerID, invoiceId: invoice.id, amount: .rub(120_00), method: .balance),
                    PaymentCreated(paymentId: rest.id, customerId: customerID, invoiceId: invoice.id, amount: .rub(500_00), method: .balance),
                ])
            let succeeded = try events.filter { $0.type == PaymentSucceeded.type }.map { try $0.decode(PaymentSucceeded.self) }
            #expect(succeeded.map(\.paymentId) == [part.id, rest.id] && succeeded.map(\.amount) == [.rub(120_00), .rub(500_00)])
            let settled = try events.filter { $0.type == InvoicePaid.type }.map { try $0.decode(InvoicePaid.self) }
            #expect(settled == [InvoicePaid(invoiceId: invoice.id, customerId: customerID, total: .rub(620_00))])
            #expect(Set(events.map(\.id)).count == 5)
            #expect(try await h.expectClean().isClean)
        }
    }

    /// The events of a balance payment carry the request that paid, whichever way they are written.
    @Test(arguments: DatabaseKind.available)
    func theEventsCarryThePayingRequest(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (_, userID, invoice) = try await Self.invoiced(h, balance: 1_000_00)
            let before = try await h.database.query("SELECT seq FROM outbox_events", []).count
            let request = TraceContext(requestID: "pay-1", traceparent: TraceParent.generate())
            _ = try await TraceContext.$current.withValue(request) {
                try await h.billing.pay(
                    of: .user(userID), PaymentOrder(invoiceId: invoice.id, amount: nil, method: .balance), idempotency: BillingHarness.token())
            }
            let rows = try await h.database.query("SELECT type, request_id, traceparent FROM outbox_events ORDER BY seq", [])
            let written = Array(rows.dropFirst(before))
            #expect(try written.map { try $0.string("type") }.sorted() == ["invoice.paid", "payment.created", "payment.succeeded"])
            for row in written {
                #expect(try row.optionalString("request_id") == "pay-1")
                let parent = try #require(TraceParent(header: try row.optionalString("traceparent") ?? ""))
                #expect(parent.traceID == request.traceparent.traceID)
            }
        }
    }

    /// The answer PostgreSQL's one statement saves for the key (made in Swift, filled in by SQL) replays as the very
    /// payment it made.
    @Test(arguments: DatabaseKind.available)
    func aReplayGivesThePaymentMade(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID, invoice) = try await Self.invoiced(h, balance: 1_000_00)
            let token = BillingHarness.token()
            let order = PaymentOrder(invoiceId: invoice.id, amount: .rub(120_00), method: .balance)
            let first = try await h.billing.pay(of: .user(userID), order, idempotency: token)
            h.clock.advance(by: 5)
            let replayed = try await h.billing.pay(of: .user(userID), order, idempotency: token)
            #expect(replayed == first)
            #expect(replayed.createdAt == first.createdAt && replayed.invoiceId == invoice.id && replayed.customerId == customerID)
            #expect(try await h.balance(customerID) == 880_00)
            #expect(try await h.database.first("SELECT COUNT(*) AS n FROM payments WHERE method = 'balance'")?.int("n") == 1)
        }
    }

    /// Two payments of the whole invoice wait for the account while a transaction holds it, with money enough for both.
    /// The one that goes second finds the invoice paid after it took the balance: on PostgreSQL its statement undoes
    /// itself and the request runs again as a transaction, which answers that the invoice is paid.
    @Test(arguments: DatabaseKind.available)
    func theSecondOfTwoPaymentsOfOneInvoiceFindsItPaid(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID, invoice) = try await Self.invoiced(h, balance: 2_000_00)
            let order = PaymentOrder(invoiceId: invoice.id, amount: nil, method: .balance)
            try await h.topUp(customerID, 1_00)
            let payments = try await h.database.transaction { tx in
                // This transaction writes the account, as a top-up would, and holds it until it commits.
                try await tx.query("UPDATE billing_accounts SET balance = balance WHERE customer_id = $1", customerID)
                let payments = (0..<2).map { _ in
                    Task.detached { () -> Result<Payment, BillingError> in
                        do {
                            return .success(try await h.billing.pay(of: .user(userID), order, idempotency: BillingHarness.token()))
                        } catch let error as BillingError {
                            return .failure(error)
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(500))
                return payments
            }
            var results: [Result<Payment, BillingError>] = []
            for payment in payments { results.append(try await payment.value) }
            let paid = results.compactMap { try? $0.get() }
            #expect(paid.count == 1 && paid.first?.amount == .rub(620_00))
            #expect(results.contains { $0 == .failure(.invoiceNotPayable(status: "paid")) }, "\(results)")
            #expect(try await h.balance(customerID) == 1_381_00)
            #expect(try await h.billing.invoice(id: invoice.id, of: .user(userID)).invoice.status == .paid)
            #expect(try await h.database.first("SELECT COUNT(*) AS n FROM payments WHERE method = 'balance'")?.int("n") == 1)
            #expect(try await h.expectClean().isClean)
        }
    }
}
