import Acquiring
import Billing
import Contracts
import Foundation
import Kernel
import Messaging
import Storage
import TestSupport
import Testing

@Suite("Saved cards and autopay", .serialized)
struct AutopayTests {
    /// A customer who paid a top-up through the sandbox saving the card, with autopay on; and the card's token.
    static func customerWithAutopay(_ h: BillingHarness) async throws -> (customerID: String, userID: String, method: SavedPaymentMethod) {
        let (customerID, userID) = try await h.customer()
        var order = BillingHarness.online(amount: 100_00)
        order.saveMethod = true
        let payment = try await h.billing.pay(of: .user(userID), order, idempotency: BillingHarness.token())
        _ = try await h.billing.decideSandboxPayment(paymentID: payment.id, token: BillingHarness.pageToken(payment), succeeded: true)
        let methods = try await h.billing.savedMethods(of: .user(userID))
        let method = try #require(methods.first)
        #expect(methods.count == 1 && method.provider == "sandbox" && method.title.hasSuffix("4242"))
        let autopay = try await h.billing.setAutopay(of: .user(userID), AutopaySettings(enabled: true, methodId: method.id))
        #expect(autopay.settings?.enabled == true && autopay.method == method)
        return (customerID, userID, method)
    }

    /// Delivers `invoice.created` of `invoice` to billing's autopay consumer as a new event (a repeat with its own id).
    static func deliver(_ invoice: Invoice, _ h: BillingHarness) async throws {
        let event = InvoiceCreated(
            invoiceId: invoice.id, customerId: invoice.customerId, number: invoice.number, period: invoice.period, total: invoice.total,
            dueOn: invoice.dueOn)
        #expect(
            try await InboxProcessor(database: h.database, clock: h.clock).process(
                EventEnvelope(event, at: h.clock.now()), with: h.billing.autopayConsumer()))
    }

    static func sandbox(_ h: BillingHarness) -> SandboxProvider {
        SandboxProvider(
            secret: h.settings.providerSecrets["sandbox"]!, baseURL: h.settings.publicBaseURL, database: h.database, currency: .rub, clock: h.clock)
    }

    @Test(arguments: DatabaseKind.available)
    func anIssuedInvoiceIsChargedOnceAfterTheNoticeWhateverTheEventsRepeat(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID, _) = try await Self.customerWithAutopay(h)
            try await h.subscribe(customerID, try await h.tariff(price: 620_00))
            _ = try await h.run()
            let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)
            try await Self.deliver(invoice, h)
            try await Self.deliver(invoice, h)
            #expect(try await h.outboxTypes().filter { $0 == AutopayScheduled.type }.count == 1)
            #expect(try await h.billing.runAutopay() == 0)

            h.clock.advance(by: h.settings.payments.autopayNotice + 1)
            #expect(try await h.billing.runAutopay() == 1)
            #expect(try await h.billing.runAutopay() == 0)
            try await Self.deliver(invoice, h)
            h.clock.advance(by: h.settings.payments.autopayNotice + 1)
            #expect(try await h.billing.runAutopay() == 0)
            #expect(try await h.billing.invoice(id: invoice.id, of: .user(userID)).invoice.status == .paid)
            let payments = try await h.database.query("SELECT status FROM payments WHERE reference = 'autopay'", [])
            #expect(try payments.map { try $0.string("status") } == ["succeeded"])
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aDeclinedCardIsToldAndStopsAutopayAfterTooManyFailures(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind, configure: { $0.payments.autopayMaximumFailures = 1 }) { h in
            let (customerID, userID, _) = try await Self.customerWithAutopay(h)
            let first = try #require(try await h.database.query("SELECT saved_token FROM sandbox_payments", []).first)
            try await Self.sandbox(h).declineCard(token: try first.string("saved_token"))
            try await h.subscribe(customerID, try await h.tariff(price: 620_00))
            _ = try await h.run()
            let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)
            try await Self.deliver(invoice, h)
            h.clock.advance(by: h.settings.payments.autopayNotice + 1)
            #expect(try await h.billing.runAutopay() == 1)
            #expect(try await h.billing.invoice(id: invoice.id, of: .user(userID)).invoice.status == .issued)
            #expect(try await h.outboxTypes().filter { $0 == AutopayFailed.type }.count == 1)
            let autopay = try await h.billing.autopay(of: .user(userID))
            #expect(autopay.settings?.enabled == false && autopay.failures == 1)
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aCustomerPaysWithASavedCardAndCanDeleteItOnlyTheirs(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID, method) = try await Self.customerWithAutopay(h)
            let (_, otherUser) = try await h.customer()
            var order = BillingHarness.online(amount: 250_00, provider: nil)
            order.savedMethodId = method.id
            await #expect(throws: BillingError.self) { _ = try await h.billing.pay(of: .user(otherUser), order, idempotency: BillingHarness.token()) }
            let paid = try await h.billing.pay(of: .user(userID), order, idempotency: BillingHarness.token())
            #expect(paid.status == .succeeded && paid.confirmationURL == nil)
            #expect(try await h.balance(customerID) == 350_00)
            await #expect(throws: BillingError.notFound) { try await h.billing.deleteSavedMethod(id: method.id, of: .user(otherUser)) }
            try await h.billing.deleteSavedMethod(id: method.id, of: .user(userID))
            #expect(try await h.billing.savedMethods(of: .user(userID)).isEmpty)
            #expect(try await h.billing.autopay(of: .user(userID)).settings?.enabled == false)
            await #expect(throws: BillingError.self) { _ = try await h.billing.pay(of: .user(userID), order, idempotency: BillingHarness.token()) }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aBalanceUnderTheThresholdIsToppedUpOnceADay(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID, method) = try await Self.customerWithAutopay(h)
            _ = try await h.billing.setAutopay(
                of: .user(userID), AutopaySettings(enabled: true, methodId: method.id, threshold: .rub(500_00), topUpAmount: .rub(1_000_00)))
            #expect(try await h.billing.runAutopay() == 0)
            #expect(try await h.outboxTypes().filter { $0 == AutopayScheduled.type }.count == 1)
            h.clock.advance(by: h.settings.payments.autopayNotice + 1)
            #expect(try await h.billing.runAutopay() == 1)
            #expect(try await h.balance(customerID) == 1_100_00)
            #expect(try await h.billing.runAutopay() == 0)
            try await h.billing.refund(
                RefundRequest(
                    paymentId: try #require(try await h.database.query("SELECT id FROM payments WHERE reference = 'autopay'", []).first)
                        .string("id"), amount: .rub(1_000_00), reason: "test"), by: "op", idempotency: BillingHarness.token())
            #expect(try await h.balance(customerID) == 100_00)
            h.clock.advance(by: h.settings.payments.autopayNotice + 1)
            #expect(try await h.billing.runAutopay() == 0, "one threshold top-up a day")
            #expect(try await h.expectClean().problems == [])
        }
    }
}
