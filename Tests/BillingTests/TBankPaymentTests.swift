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

/// Billing over the T-Bank adapter and its stand-in: signed notifications that carry the saved card, a saved card
/// charged by autopay, and the day's reconciliation one payment at a time (T-Bank lists no days).
@Suite("Payments through T-Bank's stand-in", .serialized)
struct TBankPaymentTests {
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: ProviderHTTPClient.configuration())

    @Test(arguments: DatabaseKind.available)
    func aCustomerPaysSavesTheCardAndAutopayChargesIt(kind: DatabaseKind) async throws {
        let sink = try await StandinServer.start { _ in
            NotificationSink(options: StandinOptions(account: "", secret: "", publicBaseURL: "", notificationURL: nil))
        }
        let server = try await StandinServer.start { baseURL in
            TBankStandin(
                options: StandinOptions(
                    account: "1700000000001DEMO", secret: "tbank-password", publicBaseURL: baseURL, notificationURL: sink.baseURL + "/notifications"))
        }
        let received = (sink.standin as! NotificationSink).received
        let provider = TBankProvider(
            configuration: TBankConfiguration(
                terminalKey: "1700000000001DEMO", password: "tbank-password", baseURL: server.baseURL + "/v2", requestTimeout: .seconds(5)),
            client: Self.client)
        defer {
            Task {
                await server.stop(); await sink.stop()
            }
        }
        try await BillingHarness.with(kind, start: Date(), providers: { _, _, _ in [provider] }) { h in
            let (customerID, userID) = try await h.customer()
            var order = BillingHarness.online(amount: 700_00, provider: "tbank")
            order.saveMethod = true
            let payment = try await h.billing.pay(of: .user(userID), order, idempotency: BillingHarness.token())
            let page = try #require(payment.confirmationURL)
            var press = HTTPClientRequest(url: page)
            press.method = .POST
            press.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            press.body = .bytes(ByteBuffer(string: "action=pay"))
            _ = try await Self.client.execute(press, timeout: .seconds(10))

            let forged = ProviderNotificationInput(provider: "tbank", body: Array(#"{"OrderId":"\#(payment.id)","Token":"00"}"#.utf8), headers: [:])
            await #expect(throws: BillingError.invalidSignature) { _ = try await h.billing.handleProviderNotification(forged) }
            for body in await received.bodies {
                #expect(
                    try await h.billing.handleProviderNotification(ProviderNotificationInput(provider: "tbank", body: body, headers: [:])) == "OK")
            }
            #expect(try await h.billing.payment(id: payment.id, of: .user(userID)).status == .succeeded)
            #expect(try await h.balance(customerID) == 700_00)
            let method = try #require(try await h.billing.savedMethods(of: .user(userID)).first)
            #expect(method.provider == "tbank")
            _ = try await h.billing.setAutopay(of: .user(userID), AutopaySettings(enabled: true, methodId: method.id))

            try await h.subscribe(customerID, try await h.tariff(price: 1_200_00))
            _ = try await h.run()
            let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)
            let event = InvoiceCreated(
                invoiceId: invoice.id, customerId: customerID, number: invoice.number, period: invoice.period, total: invoice.total,
                dueOn: invoice.dueOn)
            _ = try await InboxProcessor(database: h.database, clock: h.clock).process(
                EventEnvelope(event, at: h.clock.now()), with: h.billing.autopayConsumer())
            h.clock.advance(by: h.settings.payments.autopayNotice + 1)
            #expect(try await h.billing.runAutopay() == 1)
            #expect(try await h.billing.invoice(id: invoice.id, of: .user(userID)).invoice.status == .paid)

            let report = try await h.billing.reconcile(provider: "tbank", day: h.today)
            #expect(report.checked >= 2 && report.differences.isEmpty, "\(report.differences)")
            #expect(try await h.expectClean().problems == [])
        }
    }
}
