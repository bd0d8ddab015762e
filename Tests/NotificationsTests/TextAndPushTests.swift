import AsyncHTTPClient
import Contracts
import Foundation
import Kernel
import NIOCore
import NIOHTTP1
import Notifications
import SMS
import Storage
import TestSupport
import Testing

@Suite("Text messages: push first, quiet hours, the daily cap, never twice")
struct TextMessageTests {
    /// Monday 7 December 2026, 23:30 in Moscow.
    static let lateEvening = Date(timeIntervalSince1970: 1_796_626_800 + 13.5 * 3600)

    private func paid(_ customer: Customer, _ kopecks: Int64 = 50_000) -> PaymentSucceeded {
        PaymentSucceeded(paymentId: UUID().uuidString, customerId: customer.id, invoiceId: nil, amount: .rub(kopecks), method: .provider)
    }

    @Test(arguments: DatabaseKind.available)
    func aPaymentGoesByTextToACustomerWithoutAnAppAndNotToOneWithIt(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind, sms: true) { h in
            let ivan = try await h.customer(phone: "8 (916) 123-45-67")
            try await h.deliver(paid(ivan))
            try await h.settle()
            let log = try await h.deliveries(of: ivan)
            #expect(log.map(\.channel) == [.sms] && log.first?.state == .sent)
            #expect(log.first?.address == "+791••••••67", "operators see the number masked")
            #expect(log.first?.providerId == h.texts.records.first?.id)
            #expect(h.texts.records.map(\.text) == ["Зачислено 500,00\u{00A0}₽. Спасибо!"])
            #expect(h.texts.records.first?.number.e164 == "+79161234567")
            #expect(try await h.service.checkFates() == 1)
            #expect(try await h.deliveries(of: ivan).first?.state == .delivered, "the gateway reports it delivered")
            h.clock.advance(by: 61)
            #expect(try await h.service.checkFates() == 0, "a delivered text is not asked about again")

            let olga = try await h.customer(phone: "+79161112233")
            let token = String(repeating: "0a1b2c3d", count: 8)
            _ = try await h.service.registerDevice(DeviceRegistration(platform: .apns, token: token, appId: "ru.isp.app"), userID: olga.userId)
            try await h.deliver(paid(olga))
            try await h.settle()
            #expect(try await h.deliveries(of: olga).allSatisfy { $0.channel != .sms }, "the app gets it, not a text")
            #expect(h.texts.records.count == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func quietHoursHoldATextUntilMorningButNotACriticalOne(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind, sms: true, start: Self.lateEvening) { h in
            let ivan = try await h.customer()
            try await h.deliver(paid(ivan))
            try await h.settle()
            let held = try #require(try await h.deliveries(of: ivan).first)
            #expect(held.state == .queued)
            #expect(held.dueAt == Self.lateEvening.addingTimeInterval(8.5 * 3600), "08:00 in Moscow")
            #expect(h.texts.records.isEmpty)

            try await h.deliver(SubscriptionSuspended(subscriptionId: "s-1", customerId: ivan.id, balance: .rub(-100)))
            try await h.settle()
            #expect(h.texts.records.map(\.text) == ["Связь приостановлена: на счёте -1,00\u{00A0}₽. Пополните баланс, и она включится сама."])

            h.clock.advance(by: 8.5 * 3600)
            try await h.settle()
            #expect(h.texts.records.count == 2)
            #expect(try await h.deliveries(of: ivan).allSatisfy { $0.state == .sent })
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theDailyCapSuppressesTheRestAndATextLeftByACrashIsNeverSentAgain(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(
            kind, sms: true,
            configure: {
                $0.smsDailyCap = 2; $0.digestWindow = 0
            }
        ) { h in
            let ivan = try await h.customer()
            for n in 1...3 {
                try await h.deliver(paid(ivan, Int64(n) * 10_000))
                try await h.settle()
                h.clock.advance(by: 60)
            }
            let states = try await h.deliveries(of: ivan).map(\.state)
            #expect(states == [.suppressed, .sent, .sent])
            #expect(try await h.deliveries(of: ivan).first?.detail == "the daily cap of 2 text messages is reached")

            let olga = try await h.customer()
            try await h.deliver(paid(olga))
            while try await h.service.routePending() > 0 {}
            try await h.database.query(
                "UPDATE notification_deliveries SET state = 'sending', lease_until = $1, attempts = 1 WHERE state = 'queued'", h.clock.now())
            h.clock.advance(by: 1)
            try await h.settle()
            let left = try #require(try await h.deliveries(of: olga).first)
            #expect(left.state == .unconfirmed)
            #expect(h.texts.records.count == 2, "not sent again")
        }
    }
}

@Suite("Digests: a burst of one kind is one message")
struct DigestTests {
    @Test(arguments: DatabaseKind.available)
    func paymentsInQuickSuccessionGoAsOneTextAfterTheFirst(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind, sms: true) { h in
            let ivan = try await h.customer()
            func paid(_ kopecks: Int64) -> PaymentSucceeded {
                PaymentSucceeded(paymentId: UUID().uuidString, customerId: ivan.id, invoiceId: nil, amount: .rub(kopecks), method: .provider)
            }
            try await h.deliver(paid(10_000))
            try await h.settle()
            #expect(h.texts.records.map(\.text) == ["Зачислено 100,00\u{00A0}₽. Спасибо!"])
            for (n, amount) in [20_000, 30_000, 40_000].enumerated() {
                h.clock.advance(by: Double(20 + n))
                try await h.deliver(paid(Int64(amount)))
                try await h.settle()
            }
            #expect(h.texts.records.count == 1, "held until three minutes after the first")
            h.clock.advance(by: 180)
            try await h.settle()
            #expect(h.texts.records.count == 2)
            #expect(h.texts.records.last?.text == "Зачислено 200,00\u{00A0}₽. Спасибо! (и ещё 2)")
            let log = try await h.deliveries(of: ivan)
            #expect(log.allSatisfy { $0.state == .sent })
            #expect(log.filter { $0.detail?.hasPrefix("sent in one digest with") == true }.count == 2)
        }
    }
}

@Suite(
    "Web Push through a push service that is not ours (http_ece, py_vapid)",
    .enabled(if: TestMailServer.pushServiceURL != nil && TestMailServer.caFile != nil, "set LASTMILE_TEST_PUSH_SERVICE_URL"))
struct WebPushDeliveryTests {
    /// A browser's subscription at the push service stand-in, answering as `options` says.
    private func subscribe(_ client: HTTPClient, options: String = "{}") async throws -> (id: String, keys: WebPushSubscriptionKeys) {
        var request = HTTPClientRequest(url: TestMailServer.pushServiceURL! + "/subscriptions")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: options))
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 16)
        let keys = try JSONDecoder().decode(WebPushSubscriptionKeys.self, from: Data(body.readableBytesView))
        return (String(keys.endpoint.split(separator: "/").last!), keys)
    }

    private func received(_ client: HTTPClient, _ id: String) async throws -> [[String: Any]] {
        let response = try await client.execute(
            HTTPClientRequest(url: TestMailServer.pushServiceURL! + "/subscriptions/\(id)/messages"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [[String: Any]] ?? []
    }

    @Test(arguments: DatabaseKind.available)
    func aTicketReplyReachesTheInstalledWebAppAndAGoneSubscriptionIsForgotten(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind, webPush: true) { h in
            let http = try #require(h.http)
            let ivan = try await h.customer()
            let (id, keys) = try await subscribe(http)
            _ = try await h.service.registerDevice(DeviceRegistration(platform: .webpush, subscription: keys, name: "Firefox"), userID: ivan.userId)
            try await h.deliver(
                TicketMessageAdded(
                    ticketId: "t-9", number: 9, customerId: ivan.id, userId: ivan.userId, messageId: "m-1", author: .operator, isInternal: false,
                    assigneeId: "op", locale: "ru"))
            try await h.settle()
            let delivery = try #require(try await h.deliveries(of: ivan).first { $0.channel == .webPush })
            #expect(delivery.state == .sent)
            let messages = try await received(http, id)
            #expect(messages.count == 1)
            let text = try #require(messages.first?["text"] as? String)
            let payload = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(payload["title"] as? String == "Ответ по обращению № 9")
            #expect(payload["url"] as? String == "https://my.isp.test/support/tickets/t-9")
            #expect(messages.first?["topic"] as? String == delivery.id.replacingOccurrences(of: "-", with: ""))
            #expect(messages.first?["vapidKey"] as? String == (try await h.service.webPushKey()))

            let (_, goneKeys) = try await subscribe(http, options: #"{"answer": 410}"#)
            let gone = try await h.service.registerDevice(DeviceRegistration(platform: .webpush, subscription: goneKeys), userID: ivan.userId)
            try await h.deliver(
                TicketStatusChanged(
                    ticketId: "t-9", number: 9, customerId: ivan.id, userId: ivan.userId, from: .open, to: .waitingForCustomer, changedBy: "op",
                    category: .slowSpeed, priority: .normal, assigneeId: "op", locale: "ru", ratingURL: nil))
            try await h.settle()
            let bounced = try await h.deliveries(of: ivan).filter { $0.state == .bounced }
            #expect(bounced.count == 1)
            #expect(try await h.service.devices(ofUser: ivan.userId).map(\.id).contains(gone.id) == false, "the gone subscription is forgotten")
            #expect(try await received(http, id).count == 2)
        }
    }
}
