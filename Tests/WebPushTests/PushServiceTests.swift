import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing
import WebPush

private let environment = ProcessInfo.processInfo.environment
private let serviceURL = environment["LASTMILE_TEST_PUSH_SERVICE_URL"]
private let caFile = environment["LASTMILE_TEST_TLS_CA_FILE"]

/// Against scripts/lib/push_service.py (started by scripts/test), which verifies the VAPID token with py_vapid and
/// decrypts with http_ece: code that is not ours.
@Suite(
    .enabled(if: serviceURL != nil && caFile != nil, "set LASTMILE_TEST_PUSH_SERVICE_URL and LASTMILE_TEST_TLS_CA_FILE"),
    .serialized)
struct PushServiceTests {
    let subject = VAPIDSubject("mailto:noc@lastmile.example.ru")!

    /// Runs `body` with a client that trusts the test CA.
    func withClient(_ body: (HTTPClient) async throws -> Void) async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(caFile!)
        var configuration = WebPushSender.clientConfiguration()
        configuration.tlsConfiguration = tls
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await body(client)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// A new subscription at the service, answering pushes as `options` says; its id and its browser JSON.
    func subscribe(_ client: HTTPClient, options: String = "{}") async throws -> (id: String, json: [UInt8]) {
        var request = HTTPClientRequest(url: serviceURL! + "/subscriptions")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: options))
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = Array(try await response.body.collect(upTo: 1 << 16).readableBytesView)
        #expect(response.status == .created)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let endpoint = try #require(object["endpoint"] as? String)
        return (String(endpoint.split(separator: "/").last!), body)
    }

    /// What the service received for subscription `id`, decrypted.
    func received(_ client: HTTPClient, _ id: String) async throws -> [[String: Any]] {
        let response = try await client.execute(HTTPClientRequest(url: serviceURL! + "/subscriptions/\(id)/messages"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [[String: Any]])
    }

    @Test func aMessageArrivesDecryptedWithAValidToken() async throws {
        try await withClient { (client) async throws in
            let (id, json) = try await subscribe(client)
            let subscription = try WebPushSubscription(json: json, hosts: .any)
            let key = VAPIDKey.generate()
            let sender = WebPushSender(key: key, subject: subject, client: client)
            let text = #"{"title":"Счёт за декабрь","body":"К оплате 650 ₽ до 10 декабря"}"#
            let outcome = try await sender.send(
                text, to: subscription, options: WebPushOptions(timeToLive: 3600, urgency: .high, topic: "invoice-12"))
            #expect(outcome == .delivered)
            let messages = try await received(client, id)
            #expect(messages.count == 1)
            #expect(messages.first?["text"] as? String == text)
            #expect(messages.first?["ttl"] as? Int == 3600)
            #expect(messages.first?["urgency"] as? String == "high")
            #expect(messages.first?["topic"] as? String == "invoice-12")
            #expect(messages.first?["vapidKey"] as? String == key.applicationServerKey)
            #expect(messages.first?["sub"] as? String == "mailto:noc@lastmile.example.ru")
        }
    }

    @Test func theLargestPayloadArrivesWhole() async throws {
        try await withClient { (client) async throws in
            let (id, json) = try await subscribe(client)
            let sender = WebPushSender(key: .generate(), subject: subject, client: client)
            let text = String(repeating: "ж", count: WebPushEncryption.maximumPlaintextSize / 2) + "!"
            #expect(try await sender.send(text, to: try WebPushSubscription(json: json, hosts: .any)) == .delivered)
            let messages = try await received(client, id)
            #expect(messages.first?["text"] as? String == text)
            #expect(messages.first?["bytes"] as? Int == 4096)
        }
    }

    @Test func aGoneSubscriptionIsToldAsGone() async throws {
        try await withClient { (client) async throws in
            let sender = WebPushSender(key: .generate(), subject: subject, client: client)
            let gone = try WebPushSubscription(json: try await subscribe(client, options: #"{"answer":410}"#).json, hosts: .any)
            #expect(try await sender.send("x", to: gone) == .subscriptionGone)
            let (_, json) = try await subscribe(client)
            let object = try JSONSerialization.jsonObject(with: Data(json)) as! [String: Any]
            let keys = object["keys"] as! [String: String]
            let unknown = try WebPushSubscription(
                endpoint: serviceURL! + "/push/no-such-subscription", p256dh: keys["p256dh"]!, auth: keys["auth"]!, hosts: .any)
            #expect(try await sender.send("x", to: unknown) == .subscriptionGone)
        }
    }

    @Test func aBusyServiceAsksForARetry() async throws {
        try await withClient { (client) async throws in
            let sender = WebPushSender(key: .generate(), subject: subject, client: client)
            let limited = try WebPushSubscription(json: try await subscribe(client, options: #"{"answer":429,"retryAfter":30}"#).json, hosts: .any)
            #expect(try await sender.send("x", to: limited) == .retry(after: .seconds(30)))
            let later = try WebPushSubscription(
                json: try await subscribe(client, options: #"{"answer":503,"retryAfter":"Wed, 21 Oct 2099 07:28:00 GMT"}"#).json, hosts: .any)
            guard case .retry(let after?) = try await sender.send("x", to: later), after > .seconds(86_400 * 365) else {
                Issue.record("a Retry-After date was not read")
                return
            }
            let failing = try WebPushSubscription(json: try await subscribe(client, options: #"{"answer":503}"#).json, hosts: .any)
            #expect(try await sender.send("x", to: failing) == .retry(after: nil))
            let tooLarge = try WebPushSubscription(json: try await subscribe(client, options: #"{"answer":413}"#).json, hosts: .any)
            guard case .refused(413, let reason) = try await sender.send("x", to: tooLarge) else {
                Issue.record("413 was not a refusal")
                return
            }
            #expect(reason.contains("413"))
        }
    }

    @Test func aTokenForAnotherAudienceIsRefused() async throws {
        try await withClient { (client) async throws in
            let (id, json) = try await subscribe(client)
            let keys = (try JSONSerialization.jsonObject(with: Data(json)) as! [String: Any])["keys"] as! [String: String]
            // The same service by another name: the token's aud is https://localhost:…, which is not the origin it serves.
            let renamed = try WebPushSubscription(
                endpoint: serviceURL!.replacingOccurrences(of: "127.0.0.1", with: "localhost") + "/push/\(id)", p256dh: keys["p256dh"]!,
                auth: keys["auth"]!, hosts: .any)
            let outcome = try await WebPushSender(key: .generate(), subject: subject, client: client).send("x", to: renamed)
            guard case .refused(403, let reason) = outcome else {
                Issue.record("\(outcome)")
                return
            }
            #expect(reason.contains("aud"))
            #expect(try await received(client, id).isEmpty)
        }
    }

    @Test func aClosedPortIsUnreachable() async throws {
        try await withClient { (client) async throws in
            let (_, json) = try await subscribe(client)
            let keys = (try JSONSerialization.jsonObject(with: Data(json)) as! [String: Any])["keys"] as! [String: String]
            let closed = try WebPushSubscription(endpoint: "https://127.0.0.1:1/push/x", p256dh: keys["p256dh"]!, auth: keys["auth"]!, hosts: .any)
            let sender = WebPushSender(key: .generate(), subject: subject, client: client)
            await #expect {
                _ = try await sender.send("x", to: closed)
            } throws: { error in
                guard case .unreachable(let reason) = error as? WebPushError else { return false }
                return !reason.contains("/push/")
            }
        }
    }
}
