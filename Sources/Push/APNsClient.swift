import ClientSupport
import Foundation
import Logging
import NIOCore
import NIOHPACK
import NIOPosix

/// Sends notifications to Apple devices through APNs' HTTP/2 provider API, with token authentication.
///
/// Every push is one stream of a single HTTP/2 connection over TLS, shared by all callers (see ``HTTP2Endpoint``);
/// every request carries the same provider token until it is 50 minutes old (``APNsProviderToken``). An answer is a
/// ``PushOutcome``; a push that could not be tried, or whose fate is unknown, throws a ``PushError``.
public final class APNsClient: Sendable {
    /// The settings.
    public let configuration: APNsConfiguration
    /// The provider token all requests share.
    public let providerToken: APNsProviderToken
    private let endpoint: HTTP2Endpoint
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// A client; `now` is the clock tokens are dated and aged by.
    public init(
        configuration: APNsConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "push.apns"), now: @escaping @Sendable () -> Date = { Date() }
    ) throws(PushError) {
        self.configuration = configuration
        providerToken = APNsProviderToken(key: configuration.key, now: now)
        endpoint = try HTTP2Endpoint(
            url: configuration.url, tls: configuration.tls, group: eventLoopGroup, connectTimeout: configuration.connectTimeout,
            backoff: configuration.backoff)
        self.now = now
        self.logger = logger
    }

    /// How many connections the client opened so far.
    public var connectionsOpened: Int { endpoint.connectionsOpened }

    /// Sends `notification` to the device with `deviceToken` (hex), within `timeout` (the configuration's
    /// `requestTimeout` when `nil`). A payload over APNs' limit or a collapse id over 64 bytes throws
    /// ``PushError/Code/invalidNotification`` before anything is sent; a token that is not hex is dead without a request.
    public func send(_ notification: APNsNotification, to deviceToken: String, timeout: Duration? = nil) async throws(PushError) -> PushOutcome {
        let deadline = NIODeadline.now() + TimeAmount(timeout ?? configuration.requestTimeout)
        guard !deviceToken.isEmpty, deviceToken.utf8.allSatisfy(Self.isHexDigit) else {
            return .deviceTokenDead(reason: "BadDeviceToken", since: nil)
        }
        let payload = notification.payload()
        guard payload.count <= notification.maximumPayloadBytes else {
            throw PushError(.invalidNotification, "the payload is \(payload.count) bytes, over APNs' \(notification.maximumPayloadBytes)")
        }
        if let collapseID = notification.collapseID, collapseID.utf8.count > 64 {
            throw PushError(.invalidNotification, "the collapse id is \(collapseID.utf8.count) bytes, over APNs' 64")
        }
        let topic = notification.topic ?? configuration.topic
        guard Self.isHeaderValue(topic), notification.collapseID.map(Self.isHeaderValue) ?? true else {
            throw PushError(.invalidNotification, "the topic or the collapse id holds a control character")
        }
        let (token, authorization) = providerToken.bearer()
        var request = HTTP2Request(method: "POST", path: "/3/device/" + deviceToken, authority: endpoint.authority, capacity: 12)
        request.headers.add(name: "authorization", value: authorization)
        request.headers.add(name: "apns-topic", value: topic)
        request.headers.add(name: "apns-push-type", value: notification.pushType.rawValue)
        request.headers.add(name: "apns-expiration", value: notification.expiration.map { String(Int($0.timeIntervalSince1970)) } ?? "0")
        request.headers.add(name: "content-type", value: "application/json")
        if let priority = notification.priority { request.headers.add(name: "apns-priority", value: String(priority.rawValue)) }
        if let collapseID = notification.collapseID { request.headers.add(name: "apns-collapse-id", value: collapseID) }
        if let id = notification.id { request.headers.add(name: "apns-id", value: id.uuidString.lowercased()) }
        request.setBody(ByteBuffer(bytes: payload))
        let response = try await endpoint.send(request, deadline: deadline, what: "APNs push")
        let outcome = outcome(of: response)
        if case .refused(let reason, _) = outcome {
            logger.warning("APNs refused a push", metadata: ["reason": "\(reason)", "status": "\(response.status)"])
        }
        if case .retry("ExpiredProviderToken", _) = outcome { providerToken.expired(token) }
        return outcome
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    /// Whether `value` may be sent as a header value as it is: no control characters (the HTTP/2 layer does not
    /// check the headers this client builds).
    static func isHeaderValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F }
    }

    /// What APNs' answer means, by "Handling notification responses from APNs".
    func outcome(of response: HTTP2Response) -> PushOutcome {
        if response.status == 200 { return .delivered(id: response.headers.first(name: "apns-id") ?? "") }
        let body = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
        let reason = body?["reason"] as? String ?? "HTTP \(response.status)"
        let retryAfter = RetryAfter.parse(response.headers.first(name: "retry-after"), now: now())
        switch (response.status, reason) {
        case (410, _), (400, "BadDeviceToken"):
            let since = (body?["timestamp"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue / 1000) }
            return .deviceTokenDead(reason: reason, since: since)
        case (403, "ExpiredProviderToken"), (429, _), (500...599, _):
            return .retry(reason: reason, after: retryAfter)
        default:
            return .refused(reason: reason, status: response.status)
        }
    }

    /// Closes the connection; later calls throw ``PushError/Code/shutDown``.
    public func shutdown() async {
        await endpoint.shutdown()
    }
}
