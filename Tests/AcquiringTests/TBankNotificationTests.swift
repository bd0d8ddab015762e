import AcquirerStandins
import Acquiring
import AsyncHTTPClient
import Foundation
import Kernel
import NIOCore
import NIOHTTP1
import Testing

@Suite struct TBankNotificationTests {
    @Test func thePaidPaymentsNotificationIsVerifiedAndAnsweredOK() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request()
        let payment = try await fixture.paid(request)
        let received = await fixture.notifications.about(payment.providerPaymentID)
        #expect(received.count == 1)
        let notice = try fixture.provider.notification(try #require(received.first))
        #expect(notice.providerPaymentID == payment.providerPaymentID)
        #expect(notice.paymentID == request.paymentID)
        #expect(notice.acknowledgement == "OK")
        #expect(notice.savedMethod == nil)
    }

    @Test func aForgedNotificationIsRefused() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let payment = try await fixture.paid(TBankFixture.request())
        let genuine = try #require(await fixture.notifications.about(payment.providerPaymentID).first)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(genuine.body)) as? [String: Any])
        object["Amount"] = 50_000_00
        let forged = ProviderNotification(body: Array(try JSONSerialization.data(withJSONObject: object)), headers: genuine.headers)
        #expect(throws: ProviderError.self) { try fixture.provider.notification(forged) }
        object["Amount"] = 500_00
        object["Token"] = nil
        let unsigned = ProviderNotification(body: Array(try JSONSerialization.data(withJSONObject: object)), headers: genuine.headers)
        #expect(throws: ProviderError.self) { try fixture.provider.notification(unsigned) }
        let otherTerminal = TBankFixture.provider(baseURL: "http://127.0.0.1:1/v2", password: "another-password")
        #expect(throws: ProviderError.self) { try otherTerminal.notification(genuine) }
        #expect(throws: ProviderError.self) { try fixture.provider.notification(ProviderNotification(body: Array("OK".utf8), headers: [:])) }
    }

    @Test func notificationsComeTwiceWhenTheStandinIsToldTo() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        await fixture.behave { $0.duplicateNotifications = true }
        let payment = try await fixture.paid(TBankFixture.request())
        let received = await fixture.notifications.about(payment.providerPaymentID)
        #expect(received.count == 2)
        #expect(try received.map { try fixture.provider.notification($0) }.allSatisfy { $0.providerPaymentID == payment.providerPaymentID })
    }

    @Test func aSavedCardIsChargedAtOnceAndThenDeclinedWhenTold() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let first = try await fixture.paid(TBankFixture.request(save: true))
        let notice = try fixture.provider.notification(try #require(await fixture.notifications.about(first.providerPaymentID).first))
        let saved = try #require(notice.savedMethod)
        #expect(saved.title == "Карта •••• 0777")
        #expect(saved.expires == "2030-12")

        let autopay = TBankFixture.request(source: .saved(token: saved.token))
        let charged = try await fixture.provider.createPayment(autopay)
        #expect(charged.status == .succeeded)
        #expect(charged.confirmation == nil)
        #expect(try await fixture.provider.findPayment(TBankFixture.reference(autopay, charged))?.status == .succeeded)
        #expect(try await fixture.provider.createPayment(autopay).providerPaymentID == charged.providerPaymentID)
        #expect(await fixture.standin.control.calls["Charge"] == 1)

        #expect(await fixture.standin.declineCharges(rebillID: "no-such-card") == false)
        var decline = HTTPClientRequest(url: "\(fixture.server.baseURL)/standin/tbank/rebills/\(saved.token)/decline")
        decline.method = .POST
        #expect(try await TBankFixture.client.execute(decline, timeout: .seconds(10)).status == .noContent)
        let declined = try await fixture.provider.createPayment(TBankFixture.request(source: .saved(token: saved.token)))
        #expect(declined.status == .canceled)
        #expect(declined.failureReason?.hasPrefix("1051") == true)
    }

    @Test func anUnknownSavedCardIsRefused() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        await #expect(throws: ProviderError.self) {
            try await fixture.provider.createPayment(TBankFixture.request(source: .saved(token: "123456789")))
        }
    }
}
