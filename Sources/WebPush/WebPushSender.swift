import AsyncHTTPClient
import ClientHTTP
import ClientSupport
import Foundation
import NIOCore
import NIOHTTP1

/// Sends Web Push messages (RFC 8030): encrypts each payload to its subscription (RFC 8291), signs a VAPID token for
/// its push service (RFC 8292) and tells the answer as a ``WebPushOutcome``.
public struct WebPushSender: Sendable {
    private let key: VAPIDKey
    private let subject: VAPIDSubject
    private let client: HTTPClient
    private let timeout: TimeAmount
    /// How long a VAPID token is valid: RFC 8292 allows at most 24 hours; 12 leaves room for clocks that disagree.
    public static let tokenLifetime: TimeInterval = 12 * 3600
    /// The most of an answer read (its body is only shown in a refusal's reason).
    static let maximumAnswerBytes = 64 * 1024

    /// A sender signing with `key` as `subject`, through `client` (shared, owned by the caller), each request given
    /// at most `timeout`.
    public init(key: VAPIDKey, subject: VAPIDSubject, client: HTTPClient, timeout: Duration = .seconds(10)) {
        self.key = key
        self.subject = subject
        self.client = client
        let components = timeout.components
        self.timeout = .nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)
    }

    /// A client configuration fit for push services: no redirects, a 3-second connect deadline, a refused connection
    /// reported at once rather than retried until that deadline.
    public static func clientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(3)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// Sends the UTF-8 of `text` to `subscription`.
    public func send(_ text: String, to subscription: WebPushSubscription, options: WebPushOptions = WebPushOptions()) async throws(WebPushError)
        -> WebPushOutcome
    {
        try await send(bytes: Array(text.utf8), to: subscription, options: options)
    }

    /// Sends `payload` to `subscription`. Throws when it could not be tried (too large, bad options) and when no
    /// answer came (``WebPushError/unreachable(_:)``: never sent; ``WebPushError/outcomeUnknown(_:)``: maybe shown).
    public func send(bytes payload: [UInt8], to subscription: WebPushSubscription, options: WebPushOptions = WebPushOptions())
        async throws(WebPushError) -> WebPushOutcome
    {
        if let problem = options.problem { throw .invalidOptions(problem) }
        let body = try WebPushEncryption.encrypt(payload, to: subscription)
        let authorization = try key.authorization(
            audience: subscription.origin, subject: subject, expires: Date().addingTimeInterval(Self.tokenLifetime))
        var request = HTTPClientRequest(url: subscription.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.headers.add(name: "Content-Encoding", value: "aes128gcm")
        request.headers.add(name: "TTL", value: String(options.timeToLive))
        request.headers.add(name: "Urgency", value: options.urgency.rawValue)
        if let topic = options.topic { request.headers.add(name: "Topic", value: topic) }
        request.headers.add(name: "Authorization", value: authorization)
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: Int
        let headers: HTTPHeaders
        let answer: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: timeout)
            status = Int(response.status.code)
            headers = response.headers
            answer = try await response.body.collect(upTo: Self.maximumAnswerBytes)
        } catch {
            // The endpoint's path identifies the subscriber: only its origin is told.
            if HTTPFailure.neverSent(error) { throw .unreachable("POST \(subscription.origin): \(error)") }
            throw .outcomeUnknown("POST \(subscription.origin): \(error)")
        }
        return Self.outcome(status: status, headers: headers, body: Array(answer.readableBytesView))
    }

    /// The outcome an answer means.
    static func outcome(status: Int, headers: HTTPHeaders, body: [UInt8]) -> WebPushOutcome {
        switch status {
        case 200..<300: return .delivered
        case 404, 410: return .subscriptionGone
        case 429, 500..<600: return .retry(after: RetryAfter.parse(headers.first(name: "Retry-After")))
        default:
            let reason = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return .refused(status: status, reason: reason)
        }
    }
}

extension WebPushSender: CustomStringConvertible, CustomReflectable {
    /// The public key and subject, never the private key.
    public var description: String { "WebPushSender(\(key.applicationServerKey), \(subject))" }
    /// No secret in `dump` either.
    public var customMirror: Mirror { Mirror(self, children: ["applicationServerKey": key.applicationServerKey, "subject": subject.value]) }
}
