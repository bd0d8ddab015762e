import Foundation
import NIOCore
import NIOHPACK
import Synchronization
import _CryptoExtras

/// A local stand-in for Firebase Cloud Messaging's HTTP v1 API and Google's OAuth 2.0 token endpoint, written from
/// Google's "Using OAuth 2.0 for server to server applications" (the JWT bearer grant), `projects.messages.send` and
/// the `ErrorCode` reference. The token endpoint (`POST /token`) verifies the assertion's RS256 signature with the
/// service account's public key and its `iss`, `aud`, `scope`, `iat` and `exp`, and issues access tokens that expire
/// after ``Configuration/expiresIn``; `messages:send` checks the bearer token, the project and the message's shape,
/// answers `UNREGISTERED` for tokens a test marked, and `QUOTA_EXCEEDED` (429) or `UNAVAILABLE` (503) when told.
public final class FCMStandin: Sendable {
    /// What the stand-in accepts.
    public struct Configuration: Sendable {
        /// The Firebase project's id.
        public var projectID: String
        /// The service account's e-mail.
        public var clientEmail: String
        /// The service account's public key.
        public var publicKey: _RSA.Signing.PublicKey
        /// The lifetime of the access tokens it issues, in seconds (Google's are an hour).
        public var expiresIn = 3600

        /// Creates a configuration.
        public init(projectID: String, clientEmail: String, publicKey: _RSA.Signing.PublicKey) {
            self.projectID = projectID
            self.clientEmail = clientEmail
            self.publicKey = publicKey
        }
    }

    /// A message it accepted: the `message` object as JSON.
    public struct Delivery: @unchecked Sendable {
        /// The registration token.
        public var token: String
        /// The whole `message` object.
        public var message: [String: Any]
        /// The name answered.
        public var name: String
    }

    private struct State {
        var accessTokens: [String: Date] = [:]
        var tokenRequests = 0
        var unregistered: Set<String> = []
        var injected: [(status: Int, code: String, retryAfter: Int?)] = []
        var delivered: [Delivery] = []
        var refusals: [String: Int] = [:]
        var sequence = 0
    }

    /// The scope a token for FCM must ask for.
    public static let scope = "https://www.googleapis.com/auth/firebase.messaging"

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

    /// Starts a stand-in on 127.0.0.1:`port` (0 picks one); `now` is the clock token lifetimes are measured by.
    public static func start(configuration: Configuration, port: Int = 0, now: @escaping @Sendable () -> Date = { Date() }) async throws
        -> FCMStandin
    {
        let certificate = try StandinCertificate()
        let box = Mutex<FCMStandin?>(nil)
        let server = try await StandinHTTP2Server.start(port: port, certificate: certificate) { request in
            guard let standin = box.withLock({ $0 }) else { return StandinHTTP2Server.Response(status: 503) }
            return standin.handle(request)
        }
        let standin = FCMStandin(configuration: configuration, now: now, server: server, certificate: certificate)
        box.withLock { $0 = standin }
        return standin
    }

    /// The port it listens on.
    public var port: Int { server.port }
    /// FCM's base URL here, `https://127.0.0.1:PORT`.
    public var url: String { "https://127.0.0.1:\(port)" }
    /// The token endpoint's URL (the service account's `token_uri`).
    public var tokenURI: String { url + "/token" }

    /// Answers sends to `token` with 404 `UNREGISTERED`.
    public func markUnregistered(_ token: String) {
        state.withLock { _ = $0.unregistered.insert(token) }
    }

    /// Answers the next `count` sends that pass the checks with `status` and FCM error `code` (`QUOTA_EXCEEDED` with
    /// 429, `UNAVAILABLE` with 503, `INTERNAL` with 500), with `Retry-After: retryAfter` when given.
    public func inject(status: Int, code: String, retryAfter: Int? = nil, count: Int = 1) {
        state.withLock { state in
            for _ in 0..<count { state.injected.append((status, code, retryAfter)) }
        }
    }

    /// Makes every access token issued so far invalid, as a revoked key would.
    public func revokeAccessTokens() {
        state.withLock { $0.accessTokens.removeAll() }
    }

    /// How many access tokens it was asked for (granted or not).
    public var tokenRequests: Int { state.withLock { $0.tokenRequests } }
    /// The messages accepted, in order.
    public var delivered: [Delivery] { state.withLock { $0.delivered } }
    /// How many requests it refused, by error code.
    public var refusals: [String: Int] { state.withLock { $0.refusals } }

    /// Stops listening.
    public func stop() async { await server.stop() }

    /// Sends `GOAWAY` on every open connection and closes them.
    public func goAway() async { await server.goAway() }

    private func handle(_ request: StandinHTTP2Server.Request) -> StandinHTTP2Server.Response? {
        let now = now()
        if request.path == "/token" { return grant(request, now: now) }
        let sendPath = "/v1/projects/\(configuration.projectID)/messages:send"
        guard request.method == "POST", request.path.hasPrefix("/v1/projects/"), request.path.hasSuffix("/messages:send") else {
            return error(404, status: "NOT_FOUND", code: nil, "The requested URL was not found on this server.")
        }
        guard let authorization = request.headers.first(name: "authorization"), authorization.hasPrefix("Bearer "),
            let expiry = state.withLock({ $0.accessTokens[String(authorization.dropFirst("Bearer ".count))] }), now < expiry
        else {
            return error(401, status: "UNAUTHENTICATED", code: nil, "Request had invalid authentication credentials. Expected OAuth 2 access token.")
        }
        guard request.path == sendPath else {
            return error(403, status: "PERMISSION_DENIED", code: "SENDER_ID_MISMATCH", "The project does not match the credentials.")
        }
        guard request.body.readableBytes <= 4096 + 1024,
            let body = (try? JSONSerialization.jsonObject(with: Data(request.body.readableBytesView))) as? [String: Any],
            let message = body["message"] as? [String: Any]
        else { return invalid("message", "Invalid JSON payload received.") }
        let targets = ["token", "topic", "condition"].filter { message[$0] != nil }
        guard targets.count == 1 else { return invalid("message", "Exactly one of token, topic or condition must be set.") }
        guard let token = message["token"] as? String else { return invalid("message.token", "Only token targets are taken here.") }
        guard !token.isEmpty, token.count <= 4096, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_:.".contains($0)) }) else {
            return error(400, status: "INVALID_ARGUMENT", code: "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token")
        }
        if let data = message["data"] {
            guard let data = data as? [String: Any], data.values.allSatisfy({ $0 is String }) else {
                return invalid("message.data", "Invalid value at 'message.data': values must be strings.")
            }
            for key in data.keys where key == "from" || key == "gcm" || key.hasPrefix("google") {
                return invalid("message.data", "Invalid data key \(key).")
            }
        }
        if let android = message["android"] as? [String: Any] {
            if let priority = android["priority"], !["HIGH", "NORMAL"].contains(priority as? String ?? "") {
                return invalid("message.android.priority", "Invalid value at 'message.android.priority'.")
            }
            if let ttl = android["ttl"], !Self.isDuration(ttl) { return invalid("message.android.ttl", "Invalid value at 'message.android.ttl'.") }
        }
        enum Verdict {
            case answer(StandinHTTP2Server.Response)
            case refuse(Int, String, String, Int?)
        }
        let verdict: Verdict = state.withLock { state in
            if state.unregistered.contains(token) { return .refuse(404, "NOT_FOUND", "UNREGISTERED", nil) }
            if !state.injected.isEmpty {
                let injected = state.injected.removeFirst()
                let status =
                    ["QUOTA_EXCEEDED": "RESOURCE_EXHAUSTED", "UNAVAILABLE": "UNAVAILABLE", "INTERNAL": "INTERNAL"][injected.code] ?? "UNKNOWN"
                return .refuse(injected.status, status, injected.code, injected.retryAfter)
            }
            state.sequence += 1
            let name = "projects/\(configuration.projectID)/messages/\(1_700_000_000_000 + state.sequence)"
            state.delivered.append(Delivery(token: token, message: message, name: name))
            return .answer(Self.json(200, ["name": name]))
        }
        switch verdict {
        case .answer(let response):
            return response
        case .refuse(let status, let name, let code, let retryAfter):
            var response = error(status, status: name, code: code, code == "UNREGISTERED" ? "Requested entity was not found." : code)
            if let retryAfter { response.headers.append(("retry-after", String(retryAfter))) }
            return response
        }
    }

    /// The token endpoint: the JWT bearer grant (RFC 7523 §2.1) with an RS256 assertion from the service account.
    private func grant(_ request: StandinHTTP2Server.Request, now: Date) -> StandinHTTP2Server.Response {
        state.withLock { $0.tokenRequests += 1 }
        guard request.method == "POST", request.headers.first(name: "content-type")?.hasPrefix("application/x-www-form-urlencoded") == true else {
            return oauthError("invalid_request", "POST a form")
        }
        var form: [String: String] = [:]
        for pair in String(decoding: request.body.readableBytesView, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if parts.count == 2 { form[parts[0]] = parts[1] }
        }
        guard form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" else {
            return oauthError("unsupported_grant_type", "Invalid grant_type")
        }
        guard let assertion = form["assertion"], let jwt = CompactJWT(Substring(assertion)), jwt.header["alg"] as? String == "RS256" else {
            return oauthError("invalid_grant", "Invalid JWT")
        }
        let signature = _RSA.Signing.RSASignature(rawRepresentation: jwt.signature)
        guard configuration.publicKey.isValidSignature(signature, for: jwt.signingInput, padding: .insecurePKCS1v1_5) else {
            return oauthError("invalid_grant", "Invalid JWT Signature.")
        }
        guard jwt.claims["iss"] as? String == configuration.clientEmail else { return oauthError("invalid_grant", "Invalid issuer") }
        guard jwt.claims["aud"] as? String == tokenURI else { return oauthError("invalid_grant", "Invalid audience") }
        let scopes = (jwt.claims["scope"] as? String ?? "").split(separator: " ")
        guard scopes.contains(Substring(Self.scope)) else { return oauthError("invalid_scope", "The scope must include firebase.messaging") }
        let nowSeconds = Int(now.timeIntervalSince1970)
        guard let iat = jwt.seconds("iat"), let exp = jwt.seconds("exp"), exp > iat, exp - iat <= 3600, iat <= nowSeconds + 60, exp > nowSeconds
        else { return oauthError("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.") }
        let accessToken = "ya29.standin-" + UUID().uuidString
        state.withLock { $0.accessTokens[accessToken] = now.addingTimeInterval(Double(configuration.expiresIn)) }
        return Self.json(200, ["access_token": accessToken, "expires_in": configuration.expiresIn, "token_type": "Bearer"])
    }

    private static func isDuration(_ value: Any) -> Bool {
        guard let text = value as? String, text.hasSuffix("s") else { return false }
        return Double(text.dropLast()).map { $0 >= 0 } ?? false
    }

    private func invalid(_ field: String, _ message: String) -> StandinHTTP2Server.Response {
        state.withLock { $0.refusals["INVALID_ARGUMENT", default: 0] += 1 }
        let details: [[String: Any]] = [
            ["@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [["field": field, "description": message]]]
        ]
        return Self.json(400, ["error": ["code": 400, "message": message, "status": "INVALID_ARGUMENT", "details": details]])
    }

    private func error(_ code: Int, status: String, code fcmCode: String?, _ message: String) -> StandinHTTP2Server.Response {
        state.withLock { $0.refusals[fcmCode ?? status, default: 0] += 1 }
        var error: [String: Any] = ["code": code, "message": message, "status": status]
        if let fcmCode { error["details"] = [["@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": fcmCode]] }
        return Self.json(code, ["error": error])
    }

    private func oauthError(_ error: String, _ description: String) -> StandinHTTP2Server.Response {
        state.withLock { $0.refusals[error, default: 0] += 1 }
        return Self.json(400, ["error": error, "error_description": description])
    }

    private static func json(_ status: Int, _ object: [String: Any]) -> StandinHTTP2Server.Response {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return StandinHTTP2Server.Response(status: status, headers: [("content-type", "application/json; charset=UTF-8")], body: Array(body))
    }
}
