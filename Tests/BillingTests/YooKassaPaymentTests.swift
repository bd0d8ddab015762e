import AcquirerStandins
import Acquiring
import AsyncHTTPClient
import Billing
import Contracts
import Foundation
import Kernel
import Messaging
import NIOCore
import NIOHTTP1
import Storage
import TestSupport
import Testing

/// Billing over the YooKassa adapter and its stand-in, end to end: the customer's page, the unsigned notification
/// that only triggers a lookup, the saved card and the next month's automatic charge, and a lost answer.
@Suite("Payments through YooKassa's stand-in", .serialized)
struct YooKassaPaymentTests {
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: ProviderHTTPClient.configuration())

    /// A harness whose billing takes money through YooKassa's stand-in (notifications kept in the stand-in's inbox).
    static func with(_ kind: DatabaseKind, _ body: @escaping @Sendable (BillingHarness, YooKassaStandin) async throws -> Void) async throws {
        let server = try await StandinServer.start { baseURL in
            YooKassaStandin(
                options: StandinOptions(
                    account: "506751", secret: "test_secret", publicBaseURL: baseURL, notificationURL: baseURL + YooKassaStandin.inboxPath))
        }
        let standin = server.standin as! YooKassaStandin
        let provider = YooKassaProvider(
            configuration: YooKassaConfiguration(
                shopID: "506751", secretKey: "test_secret", apiBaseURL: standin.apiBaseURL, requestTimeout: .seconds(5),
                defaultReturnURL: "https://isp.example/paid"),
            client: client)
        do {
            // The stand-in stamps its own time: billing's clock starts now, so lookups by time find what it made.
            try await BillingHarness.with(kind, start: Date(), providers: { _, _, _ in [provider] }) { h in try await body(h, standin) }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// The customer presses `action` on the stand-in's page of `payment`.
    static func press(_ action: String, on payment: Payment) async throws {
        var request = HTTPClientRequest(url: try #require(payment.confirmationURL))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "action=\(action)"))
        let response = try await client.execute(request, timeout: .seconds(10))
        #expect(response.status.code == 200)
    }

    /// Delivers every notification the stand-in sent since `after` to billing, as the gateway's route would.
    static func deliverNotifications(_ standin: YooKassaStandin, _ h: BillingHarness, after: Int = 0) async throws -> Int {
        let all = await standin.receivedNotifications()
        for body in all.dropFirst(after) {
            #expect(try await h.billing.handleProviderNotification(ProviderNotificationInput(provider: "yookassa", body: body, headers: [:])) == "")
        }
        return all.count
    }

    @Test(arguments: DatabaseKind.available)
    func aCustomerPaysSavesTheCardAndIsChargedAutomaticallyNextMonth(kind: DatabaseKind) async throws {
        try await Self.with(kind) { h, standin in
            let (customerID, userID) = try await h.customer()
            var order = BillingHarness.online(amount: 300_00, provider: "yookassa")
            order.saveMethod = true
            let payment = try await h.billing.pay(of: .user(userID), order, idempotency: BillingHarness.token())
            #expect(payment.status == .pending && payment.confirmationURL?.contains("/yookassa/checkout/") == true)
            try await Self.press("pay", on: payment)
            let delivered = try await Self.deliverNotifications(standin, h)
            #expect(delivered >= 1)
            _ = try await Self.deliverNotifications(standin, h)
            #expect(try await h.billing.payment(id: payment.id, of: .user(userID)).status == .succeeded)
            #expect(try await h.balance(customerID) == 300_00)
            let method = try #require(try await h.billing.savedMethods(of: .user(userID)).first)
            #expect(method.provider == "yookassa")
            _ = try await h.billing.setAutopay(of: .user(userID), AutopaySettings(enabled: true, methodId: method.id))

            try await h.subscribe(customerID, try await h.tariff(price: 900_00))
            _ = try await h.run()
            let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)
            let event = InvoiceCreated(
                invoiceId: invoice.id, customerId: customerID, number: invoice.number, period: invoice.period, total: invoice.total,
                dueOn: invoice.dueOn)
            let inbox = InboxProcessor(database: h.database, clock: h.clock)
            _ = try await inbox.process(EventEnvelope(event, at: h.clock.now()), with: h.billing.autopayConsumer())
            _ = try await inbox.process(EventEnvelope(event, at: h.clock.now()), with: h.billing.autopayConsumer())
            h.clock.advance(by: h.settings.payments.autopayNotice + 1)
            #expect(try await h.billing.runAutopay() == 1)
            #expect(try await h.billing.invoice(id: invoice.id, of: .user(userID)).invoice.status == .paid)
            #expect(try await h.billing.runAutopay() == 0)
            #expect(try await h.outboxTypes().filter { $0 == PaymentSucceeded.type }.count == 2)
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aPaymentWhoseAnswerWasLostIsFoundByOurIdAndRefundedOnce(kind: DatabaseKind) async throws {
        try await Self.with(kind) { h, standin in
            let (customerID, userID) = try await h.customer()
            var failing = StandinBehaviour()
            failing.failAfterWork = true
            await standin.control.set(failing)
            let key = BillingHarness.token()
            let order = BillingHarness.online(amount: 450_00, provider: "yookassa")
            await #expect(throws: BillingError.providerUnavailable(provider: "yookassa")) {
                _ = try await h.billing.pay(of: .user(userID), order, idempotency: key)
            }
            await standin.control.set(StandinBehaviour())
            h.clock.advance(by: 61)
            #expect(try await h.billing.reconcilePending().looked == 1)
            let payment = try await h.billing.pay(of: .user(userID), order, idempotency: key)
            #expect(payment.confirmationURL?.contains("/yookassa/checkout/") == true)
            try await Self.press("pay", on: payment)
            _ = try await Self.deliverNotifications(standin, h)
            #expect(try await h.balance(customerID) == 450_00)

            await standin.control.set(failing)
            let refund = RefundRequest(paymentId: payment.id, amount: .rub(450_00), reason: "closing the contract")
            let refundKey = BillingHarness.token()
            await #expect(throws: BillingError.providerUnavailable(provider: "yookassa")) {
                _ = try await h.billing.refund(refund, by: "op", idempotency: refundKey)
            }
            await standin.control.set(StandinBehaviour())
            h.clock.advance(by: 61)
            _ = try await h.billing.reconcilePending()
            _ = try await h.billing.reconcilePending()
            #expect(try await h.billing.refund(refund, by: "op", idempotency: refundKey).status == .refunded)
            #expect(try await h.outboxTypes().filter { $0 == PaymentRefunded.type }.count == 1)
            #expect(try await h.balance(customerID) == 0)
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theDaysReconciliationSettlesWhatTheProviderTookAndReportsTheRest(kind: DatabaseKind) async throws {
        try await Self.with(kind) { h, standin in
            let (customerID, userID) = try await h.customer()
            let payment = try await h.billing.pay(
                of: .user(userID), BillingHarness.online(amount: 210_00, provider: "yookassa"), idempotency: BillingHarness.token())
            try await Self.press("pay", on: payment)
            // A payment the shop never recorded: made at the provider by someone else's integration.
            let stranger = YooKassaProvider(
                configuration: YooKassaConfiguration(shopID: "506751", secretKey: "test_secret", apiBaseURL: standin.apiBaseURL), client: Self.client)
            let foreign = try await stranger.createPayment(
                ProviderPaymentRequest(
                    paymentID: "not-ours", idempotencyKey: "k-not-ours", customerID: "x", amount: .rub(99_00), description: "Чужой платёж",
                    returnURL: "https://isp.example/r", source: .method(.card), saveMethod: false, receipt: nil))
            if case .redirect(let url) = foreign.confirmation {
                var press = HTTPClientRequest(url: url)
                press.method = .POST
                press.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                press.body = .bytes(ByteBuffer(string: "action=pay"))
                _ = try await Self.client.execute(press, timeout: .seconds(10))
            }

            let report = try await h.billing.reconcile(provider: "yookassa", day: h.today)
            let settled = report.differences.filter { $0.resolution == "settled" }
            #expect(settled.map(\.paymentID) == [payment.id])
            let open = report.differences.filter { $0.resolution == "open" }
            #expect(open.map(\.kind) == [.missingOnOurSide] && open.first?.theirAmount == 99_00)
            #expect(report.hasOpenDifferences)
            #expect(try await h.balance(customerID) == 210_00)
            #expect(try await h.database.query("SELECT kind FROM acquirer_differences", []).count == 2)
            #expect(try await h.billing.reconcile(provider: "yookassa", day: h.today).differences.map(\.kind) == [.missingOnOurSide])
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func sbpGivesALinkTheBankAppOpens(kind: DatabaseKind) async throws {
        try await Self.with(kind) { h, standin in
            let (customerID, userID) = try await h.customer()
            var order = BillingHarness.online(amount: 150_00, provider: "yookassa")
            order.onlineMethod = .sbp
            let payment = try await h.billing.pay(of: .user(userID), order, idempotency: BillingHarness.token())
            #expect(payment.status == .pending)
            // YooKassa answers SBP with a QR code's payload (a qr.nspk.ru link); the stand-in's payload is its own page.
            #expect(payment.confirmationURL?.contains("/yookassa/checkout/") == true, "\(payment.confirmationURL ?? "-")")
            try await Self.press("pay", on: payment)
            _ = try await Self.deliverNotifications(standin, h)
            #expect(try await h.balance(customerID) == 150_00)
            let providers = try await h.billing.paymentProviders()
            #expect(providers.first { $0.name == "yookassa" }?.methods == [.card, .sbp])
        }
    }
}
