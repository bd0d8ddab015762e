import Crypto
import Foundation
import NIOCore
import NIOHPACK
import Synchronization

/// A local stand-in for APNs' HTTP/2 provider API, written from Apple's "Sending notification requests to APNs",
/// "Establishing a token-based connection to APNs" and "Handling notification responses from APNs": it checks what
/// APNs checks (the provider token's ES256 signature, key and team ids and age, the topic, the push type, the device
/// token, the headers' values, the payload's size) and answers with APNs' status codes and JSON reasons. Tests mark
/// device tokens unregistered, make it answer 429 or 503 with `Retry-After`, or make it hang; it records what it
/// delivered.
public final class APNsStandin: Sendable {
    /// What the stand-in accepts.
    public struct Configuration: Sendable {
        /// The developer team's id (the token's `iss`).
        public var teamID: String
        /// The signing key's id (the token's `kid`).
        public var keyID: String
        /// The public half of the signing key.
        public var publicKey: P256.Signing.PublicKey
        /// The apps (bundle ids) of the team: the topics it takes.
        public var topics: Set<String>
        /// Whether a new provider token within 20 minutes of the last is refused with `TooManyProviderTokenUpdates`,
        /// as APNs does. A benchmark that sends with two clients' tokens at once turns it off.
        public var limitTokenUpdates = true
        /// Whether delivered notifications are kept for ``APNsStandin/delivered`` (a benchmark keeps count only).
        public var recordDeliveries = true
        /// `SETTINGS_MAX_CONCURRENT_STREAMS` announced to clients.
        public var maximumConcurrentStreams = 1000

        /// Creates a configuration.
        public init(teamID: String, keyID: String, publicKey: P256.Signing.PublicKey, topics: Set<String>) {
            self.teamID = teamID
            self.keyID = keyID
            self.publicKey = publicKey
            self.topics = topics
        }
    }

    /// A notification it accepted.
    public struct Delivery: Sendable, Hashable {
        /// The device token from the path.
        public var deviceToken: String
        /// `apns-topic`.
        public var topic: String
        /// `apns-push-type`.
        public var pushType: String
        /// `apns-priority`, 10 when absent.
        public var priority: Int
        /// `apns-collapse-id`, if any.
        public var collapseID: String?
        /// `apns-expiration`.
        public var expiration: Int
        /// The `apns-id` answered.
        public var id: String
        /// The JSON payload.
        public var payload: [UInt8]
    }

    private struct State {
        var verifiedTokens: [String: Int] = [:]
        var latestIssuedAt: Int?
        var unregistered: [String: Date] = [:]
        var injected: [(status: Int, reason: String, retryAfter: Int?)] = []
        var hanging = false
        var held = 0
        var delivered: [Delivery] = []
        var deliveredCount = 0
        var refusals: [String: Int] = [:]
    }

    private static let pushTypes: Set<String> = [
        "alert", "background", "location", "voip", "complication", "fileprovider", "mdm", "liveactivity", "pushtotalk", "widgets",
    ]

    /// What it accepts.
    public let configuration: Configuration
    private let now: @Sendable () -> Date
    private let state = Mutex(State())
    private let server: StandinHTTP2Server
    /// The certificate clients must trust.
    public let certificate: StandinCertificate

    private init(configuration: Configuration, now: @escaping @Sendable () -> Date, server: StandinHTTP2Server, certificate: StandinCertificate) {
        self.configuration = configuration
        self.now = now
        self.server = server
        self.certificate = certificate
    }

    /// Starts a stand-in on 127.0.0.1:`port` (0 picks one); `now` is the clock token ages are measured by.
    public static func start(configuration: Configuration, port: Int = 0, now: @escaping @Sendable () -> Date = { Date() }) async throws
        -> APNsStandin
    {
        let certificate = try StandinCertificate()
        let box = Mutex<APNsStandin?>(nil)
        let server = try await StandinHTTP2Server.start(
            port: port, certificate: certificate, maximumConcurrentStreams: configuration.maximumConcurrentStreams
        ) { request in
            guard let standin = box.withLock({ $0 }) else { return StandinHTTP2Server.Response(status: 503) }
            return standin.handle(request)
        }
        let standin = APNsStandin(configuration: configuration, now: now, server: server, certificate: certificate)
        box.withLock { $0 = standin }
        return standin
    }

    /// The port it listens on.
    public var port: Int { server.port }
    /// Its base URL, `https://127.0.0.1:PORT`.
    public var url: String { "https://127.0.0.1:\(port)" }

    /// Answers pushes to `deviceToken` with 410 `Unregistered`, dated `since`.
    public func markUnregistered(_ deviceToken: String, since: Date) {
        state.withLock { $0.unregistered[deviceToken.lowercased()] = since }
    }

    /// Answers the next `count` requests that pass the checks with `status` and `reason` (429 `TooManyRequests`,
    /// 503 `ServiceUnavailable`, 500 `InternalServerError`), with `Retry-After: retryAfter` when given.
    public func inject(status: Int, reason: String, retryAfter: Int? = nil, count: Int = 1) {
        state.withLock { state in
            for _ in 0..<count { state.injected.append((status, reason, retryAfter)) }
        }
    }

    /// Leaves requests unanswered while `hanging` is set.
    public func hang(_ hanging: Bool) {
        state.withLock { $0.hanging = hanging }
    }

    /// The notifications accepted, in order (when ``Configuration/recordDeliveries`` is set).
    public var delivered: [Delivery] { state.withLock { $0.delivered } }
    /// How many notifications were accepted.
    public var deliveredCount: Int { state.withLock { $0.deliveredCount } }
    /// How many requests it left unanswered while hanging.
    public var heldCount: Int { state.withLock { $0.held } }
    /// How many distinct provider tokens it verified.
    public var providerTokensSeen: Int { state.withLock { $0.verifiedTokens.count } }
    /// How many requests it refused, by reason.
    public var refusals: [String: Int] { state.withLock { $0.refusals } }

    /// Stops listening.
    public func stop() async { await server.stop() }

    /// Sends `GOAWAY` on every open connection and closes them.
    public func goAway() async { await server.goAway() }

    private func handle(_ request: StandinHTTP2Server.Request) -> StandinHTTP2Server.Response? {
        let now = now()
        let headers = request.headers
        guard request.method == "POST" else { return refuse(405, "MethodNotAllowed") }
        guard request.path.hasPrefix("/3/device/") else { return refuse(404, "BadPath") }
        let deviceToken = String(request.path.dropFirst("/3/device/".count))
        guard !deviceToken.isEmpty else { return refuse(400, "MissingDeviceToken") }
        for name in ["apns-topic", "apns-push-type", "apns-priority", "apns-expiration", "apns-collapse-id", "apns-id", "authorization"]
        where headers[name].count > 1 {
            return refuse(400, "DuplicateHeaders")
        }
        if let problem = checkProviderToken(headers.first(name: "authorization"), now: now) { return problem }
        guard let topic = headers.first(name: "apns-topic") else { return refuse(400, "MissingTopic") }
        guard configuration.topics.contains(Self.bundleID(of: topic)) else { return refuse(400, "TopicDisallowed") }
        guard let pushType = headers.first(name: "apns-push-type"), Self.pushTypes.contains(pushType) else {
            return refuse(400, "InvalidPushType")
        }
        let priority = headers.first(name: "apns-priority").map { Int($0) ?? -1 } ?? 10
        guard [1, 5, 10].contains(priority) else { return refuse(400, "BadPriority") }
        let expiration = headers.first(name: "apns-expiration").map { Int($0) ?? -1 } ?? 0
        guard expiration >= 0 else { return refuse(400, "BadExpirationDate") }
        let collapseID = headers.first(name: "apns-collapse-id")
        if let collapseID, collapseID.utf8.count > 64 { return refuse(400, "BadCollapseId") }
        let id = headers.first(name: "apns-id") ?? UUID().uuidString
        guard UUID(uuidString: id) != nil else { return refuse(400, "BadMessageId") }
        guard deviceToken.count >= 64, deviceToken.count % 2 == 0, deviceToken.allSatisfy({ $0.isHexDigit }) else {
            return refuse(400, "BadDeviceToken")
        }
        let payload = Array(request.body.readableBytesView)
        guard !payload.isEmpty else { return refuse(400, "PayloadEmpty") }
        guard payload.count <= (pushType == "voip" ? 5120 : 4096) else { return refuse(413, "PayloadTooLarge") }
        enum Verdict {
            case hang
            case answer(StandinHTTP2Server.Response)
        }
        let verdict: Verdict = state.withLock { state in
            if state.hanging {
                state.held += 1
                return .hang
            }
            if let since = state.unregistered[deviceToken.lowercased()] {
                state.refusals["Unregistered", default: 0] += 1
                return .answer(Self.json(410, ["reason": "Unregistered", "timestamp": Int(since.timeIntervalSince1970 * 1000)]))
            }
            if !state.injected.isEmpty {
                let injected = state.injected.removeFirst()
                state.refusals[injected.reason, default: 0] += 1
                var response = Self.json(injected.status, ["reason": injected.reason])
                if let retryAfter = injected.retryAfter { response.headers.append(("retry-after", String(retryAfter))) }
                return .answer(response)
            }
            state.deliveredCount += 1
            if configuration.recordDeliveries {
                state.delivered.append(
                    Delivery(
                        deviceToken: deviceToken, topic: topic, pushType: pushType, priority: priority, collapseID: collapseID,
                        expiration: expiration,
                        id: id.lowercased(), payload: payload))
            }
            return .answer(StandinHTTP2Server.Response(status: 200, headers: [("apns-id", id.lowercased())]))
        }
        switch verdict {
        case .hang: return nil
        case .answer(let response): return response
        }
    }

    /// Checks `authorization: bearer <JWT>`: the token once (its signature with the configured key, `alg`, `kid`,
    /// `iss`), its age on every request, and how soon after the last it was issued.
    private func checkProviderToken(_ authorization: String?, now: Date) -> StandinHTTP2Server.Response? {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return refuse(403, "MissingProviderToken") }
        let token = String(authorization.dropFirst("bearer ".count))
        let known = state.withLock { $0.verifiedTokens[token] }
        let issuedAt: Int
        if let known {
            issuedAt = known
        } else {
            guard let jwt = CompactJWT(Substring(token)), jwt.header["alg"] as? String == "ES256", let iat = jwt.seconds("iat"),
                jwt.claims["iss"] as? String == configuration.teamID,
                let signature = try? P256.Signing.ECDSASignature(rawRepresentation: jwt.signature),
                configuration.publicKey.isValidSignature(signature, for: jwt.signingInput)
            else { return refuse(403, "InvalidProviderToken") }
            guard jwt.header["kid"] as? String == configuration.keyID else { return refuse(403, "InvalidProviderToken") }
            issuedAt = iat
            let tooSoon: Bool = state.withLock { state in
                if configuration.limitTokenUpdates, let latest = state.latestIssuedAt, iat > latest, iat - latest < 20 * 60 { return true }
                state.verifiedTokens[token] = iat
                state.latestIssuedAt = max(state.latestIssuedAt ?? iat, iat)
                return false
            }
            if tooSoon { return refuse(429, "TooManyProviderTokenUpdates") }
        }
        let age = Int(now.timeIntervalSince1970) - issuedAt
        if age > 3600 { return refuse(403, "ExpiredProviderToken") }
        if age < -60 { return refuse(403, "InvalidProviderToken") }
        return nil
    }

    /// The app's bundle id in a topic that may carry a push type's suffix.
    private static func bundleID(of topic: String) -> String {
        for suffix in [".voip", ".complication", ".pushkit.fileprovider", ".push-type.liveactivity", ".voip-ptt"] where topic.hasSuffix(suffix) {
            return String(topic.dropLast(suffix.count))
        }
        return topic
    }

    private func refuse(_ status: Int, _ reason: String) -> StandinHTTP2Server.Response {
        state.withLock { $0.refusals[reason, default: 0] += 1 }
        return Self.json(status, ["reason": reason])
    }

    private static func json(_ status: Int, _ object: [String: Any]) -> StandinHTTP2Server.Response {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return StandinHTTP2Server.Response(
            status: status, headers: [("content-type", "application/json"), ("apns-id", UUID().uuidString.lowercased())], body: Array(body))
    }
}
