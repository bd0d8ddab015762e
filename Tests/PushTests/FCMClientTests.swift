import Foundation
import Push
import PushStandins
import Testing
import _CryptoExtras

@Suite("FCM client against the FCM stand-in")
struct FCMClientTests {
    static let registrationToken = "fGx1:APA91bH-standin_token"

    @Test("many sends share one access token; the message has the documented shape")
    func manySendsOneToken() async throws {
        let fixture = try await FCMFixture.start()
        defer { Task { await fixture.stop() } }
        let message = FCMMessage(
            token: Self.registrationToken, notification: .init(title: "Оплата", body: "Счёт оплачен"), data: ["invoice": "42"],
            android: .init(priority: .high, timeToLive: .seconds(3600), collapseKey: "invoice-42"))
        let outcomes = try await withThrowingTaskGroup(of: PushOutcome.self) { group in
            for _ in 0..<50 { group.addTask { try await fixture.client.send(message) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(
            outcomes.allSatisfy { if case .delivered(let name) = $0 { name.hasPrefix("projects/\(FCMFixture.projectID)/messages/") } else { false } })
        #expect(fixture.standin.tokenRequests == 1)
        #expect(fixture.client.tokenRequests == 1)
        let delivered = try #require(fixture.standin.delivered.first)
        #expect(delivered.token == Self.registrationToken)
        #expect((delivered.message["notification"] as? [String: String]) == ["title": "Оплата", "body": "Счёт оплачен"])
        #expect((delivered.message["data"] as? [String: String]) == ["invoice": "42"])
        #expect((delivered.message["android"] as? [String: String]) == ["priority": "HIGH", "ttl": "3600s", "collapse_key": "invoice-42"])
    }

    @Test("the access token is replaced shortly before it expires")
    func refreshNearExpiry() async throws {
        let clock = TestClock()
        let fixture = try await FCMFixture.start(clock: clock)
        defer { Task { await fixture.stop() } }
        let message = FCMMessage(token: Self.registrationToken, data: ["k": "v"])
        _ = try await fixture.client.send(message)
        clock.advance(minutes: 54)
        _ = try await fixture.client.send(message)
        #expect(fixture.standin.tokenRequests == 1)
        clock.advance(minutes: 2)
        guard case .delivered = try await fixture.client.send(message) else {
            Issue.record("the send after the refresh was not delivered")
            return
        }
        #expect(fixture.standin.tokenRequests == 2)
        #expect(fixture.standin.refusals.isEmpty)
    }

    @Test("a 401 fetches a new access token once")
    func unauthorizedRefreshesOnce() async throws {
        let fixture = try await FCMFixture.start()
        defer { Task { await fixture.stop() } }
        let message = FCMMessage(token: Self.registrationToken, data: ["k": "v"])
        _ = try await fixture.client.send(message)
        fixture.standin.revokeAccessTokens()
        guard case .delivered = try await fixture.client.send(message) else {
            Issue.record("the send after the revocation was not delivered")
            return
        }
        #expect(fixture.standin.tokenRequests == 2)
        #expect(fixture.standin.refusals["UNAUTHENTICATED"] == 1)
    }

    @Test("UNREGISTERED and an invalid registration token are dead tokens")
    func deadTokens() async throws {
        let fixture = try await FCMFixture.start()
        defer { Task { await fixture.stop() } }
        fixture.standin.markUnregistered("gone-token")
        #expect(
            try await fixture.client.send(FCMMessage(token: "gone-token", data: ["k": "v"])) == .deviceTokenDead(reason: "UNREGISTERED", since: nil))
        #expect(
            try await fixture.client.send(FCMMessage(token: "not a token", data: ["k": "v"]))
                == .deviceTokenDead(reason: "INVALID_ARGUMENT", since: nil))
    }

    @Test("QUOTA_EXCEEDED and UNAVAILABLE ask for a retry, with Retry-After when given")
    func retry() async throws {
        let fixture = try await FCMFixture.start()
        defer { Task { await fixture.stop() } }
        let message = FCMMessage(token: Self.registrationToken, data: ["k": "v"])
        fixture.standin.inject(status: 429, code: "QUOTA_EXCEEDED", retryAfter: 60)
        #expect(try await fixture.client.send(message) == .retry(reason: "QUOTA_EXCEEDED", after: .seconds(60)))
        fixture.standin.inject(status: 503, code: "UNAVAILABLE")
        #expect(try await fixture.client.send(message) == .retry(reason: "UNAVAILABLE", after: nil))
    }

    @Test("a malformed message is refused with FCM's code")
    func refused() async throws {
        let fixture = try await FCMFixture.start()
        defer { Task { await fixture.stop() } }
        let outcome = try await fixture.client.send(FCMMessage(token: Self.registrationToken, data: ["google.x": "v"]))
        #expect(outcome == .refused(reason: "INVALID_ARGUMENT", status: 400))
    }

    @Test("an assertion signed with another key gets no token")
    func wrongKey() async throws {
        let fixture = try await FCMFixture.start(clientKey: try _RSA.Signing.PrivateKey(keySize: .bits2048))
        defer { Task { await fixture.stop() } }
        await #expect {
            _ = try await fixture.client.send(FCMMessage(token: Self.registrationToken, data: ["k": "v"]))
        } throws: { ($0 as? PushError)?.code == .authenticationFailed }
        #expect(fixture.standin.refusals["invalid_grant"] == 1)
        #expect(fixture.standin.delivered.isEmpty)
    }

    @Test("the service account's description names no key")
    func secrets() throws {
        let pem = FCMFixture.key.pkcs8PEMRepresentation
        let account = try FCMServiceAccount(
            projectID: "p", clientEmail: "a@p.iam.gserviceaccount.com", privateKeyPEM: pem, tokenURI: "https://oauth2.googleapis.com/token")
        #expect(!String(describing: account).contains(pem.split(separator: "\n")[1]))
    }
}
