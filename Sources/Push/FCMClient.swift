import ClientSupport
import Foundation
import Logging
import NIOCore
import NIOHPACK
import NIOPosix

/// Sends messages through Firebase Cloud Messaging's HTTP v1 API (`POST /v1/projects/{project}/messages:send`),
/// authorized by a service account's OAuth 2.0 access token.
///
/// Sends share one HTTP/2 connection to FCM, and token requests one to the token endpoint; the access token is
/// fetched once and reused until five minutes before it expires. An answer is a ``PushOutcome``; a send that could
/// not be tried, or whose fate is unknown, throws a ``PushError``.
public final class FCMClient: Sendable {
    /// The settings.
    public let configuration: FCMConfiguration
    private let endpoint: HTTP2Endpoint
    private let tokenEndpoint: HTTP2Endpoint
    private let accessToken: FCMAccessToken
    private let path: String
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// A client; `now` is the clock token lifetimes are measured by.
    public init(
        configuration: FCMConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "push.fcm"), now: @escaping @Sendable () -> Date = { Date() }
    ) throws(PushError) {
        self.configuration = configuration
        endpoint = try HTTP2Endpoint(
            url: configuration.url, tls: configuration.tls, group: eventLoopGroup, connectTimeout: configuration.connectTimeout,
            backoff: configuration.backoff)
        let tokenURI = configuration.serviceAccount.tokenURI
        tokenEndpoint = try HTTP2Endpoint(
            url: tokenURI, tls: configuration.tls, group: eventLoopGroup, connectTimeout: configuration.connectTimeout,
            backoff: configuration.backoff)
        let tokenPath = URLComponents(string: tokenURI).map { $0.percentEncodedPath.isEmpty ? "/" : $0.percentEncodedPath } ?? "/"
        accessToken = FCMAccessToken(account: configuration.serviceAccount, endpoint: tokenEndpoint, path: tokenPath, now: now)
        path = "/v1/projects/\(configuration.serviceAccount.projectID)/messages:send"
        self.now = now
        self.logger = logger
    }

    /// How many access tokens were requested so far.
    public var tokenRequests: Int { accessToken.requestsMade }

    /// Sends `message` within `timeout` (the configuration's `requestTimeout` when `nil`). A 401 fetches a new access
    /// token and tries once more.
    public func send(_ message: FCMMessage, timeout: Duration? = nil) async throws(PushError) -> PushOutcome {
        let deadline = NIODeadline.now() + TimeAmount(timeout ?? configuration.requestTimeout)
        let body = message.body()
        var attempt = 1
        while true {
            let token = try await accessToken.token(deadline: deadline)
            let request = HTTP2Request(
                method: "POST", path: path, authority: endpoint.authority,
                headers: [("authorization", "Bearer " + token), ("content-type", "application/json; charset=utf-8")], body: ByteBuffer(bytes: body))
            let response = try await endpoint.send(request, deadline: deadline, what: "FCM send")
            if response.status == 401 {
                accessToken.refused(token)
                if attempt == 1 {
                    attempt += 1
                    continue
                }
            }
            let outcome = outcome(of: response)
            if case .refused(let reason, _) = outcome {
                logger.warning("FCM refused a message", metadata: ["reason": "\(reason)", "status": "\(response.status)"])
            }
            return outcome
        }
    }

    /// What FCM's answer means, by the `ErrorCode` reference of the HTTP v1 API.
    func outcome(of response: HTTP2Response) -> PushOutcome {
        let body = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
        if response.status == 200 { return .delivered(id: body?["name"] as? String ?? "") }
        let error = body?["error"] as? [String: Any]
        let details = error?["details"] as? [[String: Any]] ?? []
        let code =
            details.lazy.compactMap { $0["errorCode"] as? String }.first ?? error?["status"] as? String ?? "HTTP \(response.status)"
        let retryAfter = RetryAfter.parse(response.headers.first(name: "retry-after"), now: now())
        switch code {
        case "UNREGISTERED":
            return .deviceTokenDead(reason: code, since: nil)
        case "INVALID_ARGUMENT" where Self.namesToken(error: error, details: details):
            return .deviceTokenDead(reason: code, since: nil)
        case "QUOTA_EXCEEDED", "UNAVAILABLE", "INTERNAL":
            return .retry(reason: code, after: retryAfter)
        default:
            if response.status == 429 || (500...599).contains(response.status) { return .retry(reason: code, after: retryAfter) }
            return .refused(reason: code, status: response.status)
        }
    }

    /// Whether an `INVALID_ARGUMENT` is about the registration token rather than the message.
    private static func namesToken(error: [String: Any]?, details: [[String: Any]]) -> Bool {
        let fields = details.flatMap { ($0["fieldViolations"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
        if fields.contains("message.token") { return true }
        let message = (error?["message"] as? String ?? "").lowercased()
        return message.contains("registration token")
    }

    /// Closes the connections; later calls throw ``PushError/Code/shutDown``.
    public func shutdown() async {
        await endpoint.shutdown()
        await tokenEndpoint.shutdown()
    }
}
