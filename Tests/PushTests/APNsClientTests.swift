import ClientSupport
import Crypto
import Foundation
import Push
import PushStandins
import Testing

@Suite("APNs client against the APNs stand-in")
struct APNsClientTests {
    @Test("many pushes share one connection and one provider token")
    func manyPushesOneToken() async throws {
        let fixture = try await APNsFixture.start()
        defer { Task { await fixture.stop() } }
        let notification = APNsNotification(
            alert: .init(title: "Оплата", body: "Счёт оплачен"), badge: 3, sound: "default", threadID: "billing", custom: ["invoice": 42],
            priority: .immediate, collapseID: "invoice-42")
        let outcomes = try await withThrowingTaskGroup(of: PushOutcome.self) { group in
            for index in 0..<200 {
                group.addTask { try await fixture.client.send(notification, to: deviceToken(index)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == 200)
        #expect(outcomes.allSatisfy { if case .delivered = $0 { true } else { false } })
        #expect(fixture.standin.providerTokensSeen == 1)
        #expect(fixture.client.providerToken.tokensSigned == 1)
        #expect(fixture.client.connectionsOpened == 1)
        let delivery = try #require(fixture.standin.delivered.first)
        #expect(delivery.topic == APNsFixture.topic)
        #expect(delivery.pushType == "alert")
        #expect(delivery.priority == 10)
        #expect(delivery.collapseID == "invoice-42")
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(delivery.payload)) as? [String: Any])
        let aps = try #require(payload["aps"] as? [String: Any])
        #expect((aps["alert"] as? [String: String]) == ["title": "Оплата", "body": "Счёт оплачен"])
        #expect(aps["badge"] as? Int == 3)
        #expect(aps["thread-id"] as? String == "billing")
        #expect(payload["invoice"] as? Int == 42)
    }

    @Test("the delivered outcome carries the apns-id sent")
    func deliveredID() async throws {
        let fixture = try await APNsFixture.start()
        defer { Task { await fixture.stop() } }
        let id = UUID()
        let outcome = try await fixture.client.send(APNsNotification(alert: .init(body: "hi"), id: id), to: deviceToken(1))
        #expect(outcome == .delivered(id: id.uuidString.lowercased()))
    }

    @Test("the provider token is reused for 50 minutes, then signed anew")
    func tokenRefresh() async throws {
        let clock = TestClock()
        let fixture = try await APNsFixture.start(clock: clock)
        defer { Task { await fixture.stop() } }
        let notification = APNsNotification(alert: .init(body: "hi"))
        _ = try await fixture.client.send(notification, to: deviceToken(1))
        clock.advance(minutes: 30)
        for index in 0..<5 { _ = try await fixture.client.send(notification, to: deviceToken(index)) }
        #expect(fixture.standin.providerTokensSeen == 1)
        clock.advance(minutes: 21)
        let afterRefresh = try await fixture.client.send(notification, to: deviceToken(9))
        #expect(fixture.standin.providerTokensSeen == 2)
        #expect(fixture.client.providerToken.tokensSigned == 2)
        guard case .delivered = afterRefresh else {
            Issue.record("expected delivery after the refresh, got \(afterRefresh)")
            return
        }
        #expect(fixture.standin.deliveredCount == 7)
        #expect(fixture.standin.refusals.isEmpty)
    }

    @Test("a token APNs calls expired (its clock ahead of ours) asks for a retry, and the next push signs a new one")
    func expiredProviderToken() async throws {
        let clock = TestClock()
        let apnsClock = TestClock()
        apnsClock.advance(minutes: 15)
        let fixture = try await APNsFixture.start(clock: clock, standinClock: apnsClock)
        defer { Task { await fixture.stop() } }
        let notification = APNsNotification(alert: .init(body: "hi"))
        _ = try await fixture.client.send(notification, to: deviceToken(1))
        clock.advance(minutes: 46)
        apnsClock.advance(minutes: 46)
        #expect(try await fixture.client.send(notification, to: deviceToken(2)) == .retry(reason: "ExpiredProviderToken", after: nil))
        guard case .delivered = try await fixture.client.send(notification, to: deviceToken(3)) else {
            Issue.record("the push after ExpiredProviderToken was not delivered")
            return
        }
        #expect(fixture.client.providerToken.tokensSigned == 2)
    }

    @Test("an unregistered device token is dead, with APNs' timestamp")
    func unregistered() async throws {
        let fixture = try await APNsFixture.start()
        defer { Task { await fixture.stop() } }
        let since = Date(timeIntervalSince1970: 1_790_000_000.5)
        fixture.standin.markUnregistered(deviceToken(7), since: since)
        let outcome = try await fixture.client.send(APNsNotification(alert: .init(body: "hi")), to: deviceToken(7))
        #expect(outcome == .deviceTokenDead(reason: "Unregistered", since: since))
        #expect(try await fixture.client.send(APNsNotification(alert: .init(body: "hi")), to: deviceToken(8)) != outcome)
    }

    @Test("a token APNs calls bad is dead; one that is not hex is dead without a request")
    func badDeviceToken() async throws {
        let fixture = try await APNsFixture.start()
        defer { Task { await fixture.stop() } }
        let short = try await fixture.client.send(APNsNotification(alert: .init(body: "hi")), to: "abcdef")
        #expect(short == .deviceTokenDead(reason: "BadDeviceToken", since: nil))
        #expect(fixture.standin.refusals["BadDeviceToken"] == 1)
        let garbage = try await fixture.client.send(APNsNotification(alert: .init(body: "hi")), to: "../../etc")
        #expect(garbage == .deviceTokenDead(reason: "BadDeviceToken", since: nil))
        #expect(fixture.standin.refusals["BadDeviceToken"] == 1)
    }

    @Test("429 and 503 ask for a retry, with Retry-After when given")
    func retryAfter() async throws {
        let fixture = try await APNsFixture.start()
        defer { Task { await fixture.stop() } }
        let notification = APNsNotification(alert: .init(body: "hi"))
        fixture.standin.inject(status: 429, reason: "TooManyRequests", retryAfter: 30)
        #expect(try await fixture.client.send(notification, to: deviceToken(1)) == .retry(reason: "TooManyRequests", after: .seconds(30)))
        fixture.standin.inject(status: 503, reason: "ServiceUnavailable")
        #expect(try await fixture.client.send(notification, to: deviceToken(1)) == .retry(reason: "ServiceUnavailable", after: nil))
        guard case .delivered = try await fixture.client.send(notification, to: deviceToken(1)) else {
            Issue.record("the push after the injected answers was not delivered")
            return
        }
    }

    @Test("a payload over 4096 bytes, a long collapse id or a control character in a header is refused before anything is sent")
    func payloadTooLarge() async throws {
        let fixture = try await APNsFixture.start()
        defer { Task { await fixture.stop() } }
        let large = APNsNotification(alert: .init(body: "hi"), custom: ["blob": .string(String(repeating: "x", count: 4100))])
        await #expect {
            _ = try await fixture.client.send(large, to: deviceToken(1))
        } throws: { ($0 as? PushError)?.code == .invalidNotification }
        #expect(fixture.client.connectionsOpened == 0)
        let collapse = APNsNotification(alert: .init(body: "hi"), collapseID: String(repeating: "c", count: 65))
        await #expect {
            _ = try await fixture.client.send(collapse, to: deviceToken(1))
        } throws: { ($0 as? PushError)?.code == .invalidNotification }
        let injected = APNsNotification(alert: .init(body: "hi"), topic: "ru.lastmile.app\r\nx-evil: 1")
        await #expect {
            _ = try await fixture.client.send(injected, to: deviceToken(1))
        } throws: { ($0 as? PushError)?.code == .invalidNotification }
        #expect(fixture.standin.refusals.isEmpty)
    }

    @Test("other refusals keep APNs' reason")
    func refused() async throws {
        let fixture = try await APNsFixture.start()
        defer { Task { await fixture.stop() } }
        let outcome = try await fixture.client.send(APNsNotification(alert: .init(body: "hi"), topic: "com.example.other"), to: deviceToken(1))
        #expect(outcome == .refused(reason: "TopicDisallowed", status: 400))
    }

    @Test("a token signed with another key, or under another key id, is refused")
    func wrongKey() async throws {
        let other = try await APNsFixture.start(clientKey: P256.Signing.PrivateKey())
        defer { Task { await other.stop() } }
        #expect(
            try await other.client.send(APNsNotification(alert: .init(body: "hi")), to: deviceToken(1))
                == .refused(reason: "InvalidProviderToken", status: 403))
        let wrongID = try await APNsFixture.start(keyID: "OTHERKEY12")
        defer { Task { await wrongID.stop() } }
        #expect(
            try await wrongID.client.send(APNsNotification(alert: .init(body: "hi")), to: deviceToken(1))
                == .refused(reason: "InvalidProviderToken", status: 403))
    }

    @Test("a stand-in that never answers makes the push fail at its deadline, outcome unknown")
    func deadline() async throws {
        let fixture = try await APNsFixture.start()
        defer { Task { await fixture.stop() } }
        // Connected first, so that the deadline is spent waiting for an answer, not on a handshake of a loaded machine.
        _ = try await fixture.client.send(APNsNotification(alert: .init(body: "warm-up")), to: deviceToken(3))
        fixture.standin.hang(true)
        await #expect {
            _ = try await fixture.client.send(APNsNotification(alert: .init(body: "hi")), to: deviceToken(1), timeout: .milliseconds(500))
        } throws: { ($0 as? PushError)?.code == .outcomeUnknown }
        fixture.standin.hang(false)
        guard case .delivered = try await fixture.client.send(APNsNotification(alert: .init(body: "hi")), to: deviceToken(2)) else {
            Issue.record("the connection was not usable after a timed-out stream")
            return
        }
        #expect(fixture.client.connectionsOpened == 1)
    }

    @Test("pushes beyond the server's MAX_CONCURRENT_STREAMS wait for a stream and are all delivered")
    func concurrentStreamLimit() async throws {
        let fixture = try await APNsFixture.start(maximumConcurrentStreams: 4)
        defer { Task { await fixture.stop() } }
        let outcomes = try await withThrowingTaskGroup(of: PushOutcome.self) { group in
            for index in 0..<60 {
                group.addTask { try await fixture.client.send(APNsNotification(alert: .init(body: "hi")), to: deviceToken(index)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.allSatisfy { if case .delivered = $0 { true } else { false } })
        #expect(fixture.standin.deliveredCount == 60)
        #expect(fixture.client.connectionsOpened == 1)
    }

    @Test("a push whose deadline passes while it waits for a stream was never sent, and never leaves; the one on the wire is unknown")
    func neverSentWhileWaitingForAStream() async throws {
        let fixture = try await APNsFixture.start(maximumConcurrentStreams: 1)
        defer { Task { await fixture.stop() } }
        _ = try await fixture.client.send(APNsNotification(alert: .init(body: "warm-up")), to: deviceToken(1))
        fixture.standin.hang(true)
        let onTheWire = Task { try await fixture.client.send(APNsNotification(alert: .init(body: "held")), to: deviceToken(2), timeout: .seconds(3)) }
        for _ in 0..<200 where fixture.standin.heldCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(fixture.standin.heldCount == 1)
        await #expect {
            _ = try await fixture.client.send(APNsNotification(alert: .init(body: "queued")), to: deviceToken(3), timeout: .milliseconds(200))
        } throws: { ($0 as? PushError)?.code == .neverSent }
        await #expect {
            _ = try await onTheWire.value
        } throws: { ($0 as? PushError)?.code == .outcomeUnknown }
        #expect(fixture.standin.heldCount == 1)
    }

    @Test("a closed port means never sent, and calls fail at once during the backoff")
    func closedPort() async throws {
        let fixture = try await APNsFixture.start(backoff: Backoff(initial: .seconds(60), maximum: .seconds(60)))
        await fixture.standin.stop()
        defer { Task { await fixture.client.shutdown() } }
        for _ in 0..<2 {
            await #expect {
                _ = try await fixture.client.send(APNsNotification(alert: .init(body: "hi")), to: deviceToken(1))
            } throws: { ($0 as? PushError)?.code == .neverSent }
        }
        #expect(fixture.client.connectionsOpened == 1)
    }

    @Test("after the server's GOAWAY the client opens a new connection")
    func goAway() async throws {
        let fixture = try await APNsFixture.start()
        defer { Task { await fixture.stop() } }
        let notification = APNsNotification(alert: .init(body: "hi"))
        _ = try await fixture.client.send(notification, to: deviceToken(1))
        await fixture.standin.goAway()
        // A push made before the client has read the GOAWAY may still go to the closing connection and fail there.
        var outcome = try? await fixture.client.send(notification, to: deviceToken(2))
        if outcome == nil { outcome = try await fixture.client.send(notification, to: deviceToken(3)) }
        guard case .delivered = outcome else {
            Issue.record("no push was delivered after GOAWAY: \(String(describing: outcome))")
            return
        }
        #expect(fixture.client.connectionsOpened == 2)
    }

    @Test("no key or token shows in descriptions or errors")
    func secrets() async throws {
        let key = P256.Signing.PrivateKey()
        let signingKey = try APNsSigningKey(pem: key.pemRepresentation, keyID: "KEY1234567", teamID: "TEAM123456")
        let pemBody = key.pemRepresentation.split(separator: "\n")[1]
        #expect(!String(describing: signingKey).contains(pemBody))
        let token = APNsProviderToken(key: signingKey)
        #expect(!String(describing: token).contains(token.token()))
        #expect(throws: PushError.self) {
            try APNsSigningKey(pem: "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----", keyID: "K", teamID: "T")
        }
    }
}
