import Contracts
import Crypto
import Foundation
import JWTKit
import Kernel
import Synchronization

/// The signed-in user on whose behalf one service calls another, carried inside the service token so that no bare
/// header can claim it.
public struct ActingUser: Codable, Sendable, Hashable {
    /// The user.
    public var userID: String
    /// The user's role.
    public var role: Role
    /// The user's session.
    public var sessionID: String

    /// Creates the claim.
    public init(userID: String, role: Role, sessionID: String) {
        self.userID = userID
        self.role = role
        self.sessionID = sessionID
    }
}

/// A verified service token: which LastMile service called, which it called, and for whom.
public struct ServiceCaller: Sendable, Hashable {
    /// The calling service (`iss`).
    public var service: String
    /// The service it is meant for (`aud`).
    public var audience: String
    /// The signed-in user the call is made for, if any.
    public var actingUser: ActingUser?

    /// The user id when the call is made for a customer, whose calls may concern only themselves; nil for staff and
    /// for calls made for nobody.
    public var customerUserID: String? { actingUser?.role == .customer ? actingUser?.userID : nil }

    /// Creates a caller.
    public init(service: String, audience: String, actingUser: ActingUser?) {
        self.service = service
        self.audience = audience
        self.actingUser = actingUser
    }
}

/// Signs and verifies the short-lived tokens with which LastMile's processes call each other's internal APIs.
///
/// HMAC-SHA256 JWTs (RFC 7519) under a key every process of an installation shares (`LASTMILE_SERVICE_KEY`): one
/// secret to hand out, no certificate authority to run, and a few microseconds per call. The previous key still
/// verifies during a rotation. Each token names its caller (`iss`) and callee (`aud`), lives ``lifetime`` seconds,
/// and carries the acting user as a signed claim.
public struct ServiceKeys: Sendable {
    /// How long a token is valid.
    public static let lifetime: TimeInterval = 60
    /// The shortest key accepted, in bytes.
    public static let minimumKeyBytes = 32

    private let collection: JWTKeyCollection
    private let signingKID: JWKIdentifier
    private let cache = ServiceTokenCache()

    /// Keys from the current secret and, during a rotation, the previous one; each at least 32 bytes.
    public init(current: [UInt8], previous: [UInt8]? = nil) async throws {
        for key in [current] + (previous.map { [$0] } ?? []) where key.count < Self.minimumKeyBytes {
            throw ServiceKeyError.tooShort
        }
        let collection = JWTKeyCollection()
        signingKID = Self.kid(of: current)
        await collection.add(hmac: HMACKey(from: current), digestAlgorithm: .sha256, kid: signingKID)
        if let previous { await collection.add(hmac: HMACKey(from: previous), digestAlgorithm: .sha256, kid: Self.kid(of: previous)) }
        self.collection = collection
    }

    /// A token for a call from `issuer` to `audience`, for `actingUser` when there is one.
    ///
    /// A token made in the last half of its lifetime for the same caller, callee and user is given again: every call
    /// of a request would otherwise sign anew, and a token presented always has at least half its life left.
    public func sign(issuer: String, audience: String, actingUser: ActingUser?, now: Date = Date()) async throws -> String {
        let key = ServiceTokenCache.SignedKey(issuer: issuer, audience: audience, actingUser: actingUser)
        if let token = cache.signed(key, now: now, within: Self.lifetime / 2) { return token }
        let payload = ServiceTokenPayload(
            iss: IssuerClaim(value: issuer), aud: AudienceClaim(value: [audience]),
            exp: ExpirationClaim(value: now.addingTimeInterval(Self.lifetime)), iat: IssuedAtClaim(value: now), usr: actingUser)
        let token = try await collection.sign(payload, kid: signingKID)
        cache.store(token, for: key, issuedAt: now)
        return token
    }

    /// The caller a token names, if its signature, lifetime and audience check out; otherwise ``ServiceKeyError``.
    ///
    /// A token verified before is answered from memory while its lifetime holds: callers present the same token for
    /// up to half a minute.
    public func verify(_ token: String, now: Date = Date()) async throws -> ServiceCaller {
        if let caller = cache.verified(token, now: now) { return caller }
        let payload: ServiceTokenPayload
        do {
            payload = try await collection.verify(token, as: ServiceTokenPayload.self)
        } catch {
            throw ServiceKeyError.invalidToken
        }
        // A little slack for clocks that differ between machines.
        guard payload.exp.value.addingTimeInterval(5) > now, payload.iat.value.addingTimeInterval(-5) <= now,
            let audience = payload.aud.value.first, payload.aud.value.count == 1
        else { throw ServiceKeyError.invalidToken }
        let caller = ServiceCaller(service: payload.iss.value, audience: audience, actingUser: payload.usr)
        cache.store(caller, for: token, from: payload.iat.value.addingTimeInterval(-5), until: payload.exp.value.addingTimeInterval(5))
        return caller
    }

    /// The key id of a secret: the start of its SHA-256, so that processes agree on it without configuration.
    static func kid(of key: [UInt8]) -> JWKIdentifier {
        JWKIdentifier(string: String(Hex.lowercase(Array(SHA256.hash(data: key))).prefix(16)))
    }
}

/// Why a service key or token was refused.
public enum ServiceKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configured key is shorter than ``ServiceKeys/minimumKeyBytes``.
    case tooShort
    /// A token's signature, lifetime or audience does not check out.
    case invalidToken

    /// A one-line summary.
    public var description: String {
        switch self {
        case .tooShort: "the service key must be at least \(ServiceKeys.minimumKeyBytes) bytes"
        case .invalidToken: "the service token does not verify"
        }
    }
}

/// The claims of a service token; checked by ``ServiceKeys/verify(_:now:)`` against the caller's clock.
struct ServiceTokenPayload: JWTPayload {
    var iss: IssuerClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var usr: ActingUser?

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Tokens signed and verified lately, so that the calls of one request sign and check one token, not one each.
final class ServiceTokenCache: Sendable {
    /// Who signs a token for whom.
    struct SignedKey: Hashable {
        var issuer: String
        var audience: String
        var actingUser: ActingUser?
    }

    private struct State {
        var signed: [SignedKey: (token: String, issuedAt: Date)] = [:]
        var verified: [String: (caller: ServiceCaller, from: Date, until: Date)] = [:]
    }

    /// Entries kept at most in each map; past it the map starts afresh (a few signatures more, never a wrong answer).
    private static let capacity = 50_000
    private let state = Mutex(State())

    func signed(_ key: SignedKey, now: Date, within age: TimeInterval) -> String? {
        state.withLock { state in
            guard let entry = state.signed[key], entry.issuedAt <= now, now.timeIntervalSince(entry.issuedAt) < age else { return nil }
            return entry.token
        }
    }

    func store(_ token: String, for key: SignedKey, issuedAt: Date) {
        state.withLock { state in
            if state.signed.count >= Self.capacity { state.signed.removeAll() }
            state.signed[key] = (token, issuedAt)
        }
    }

    func verified(_ token: String, now: Date) -> ServiceCaller? {
        state.withLock { state in
            guard let entry = state.verified[token], entry.from <= now, now < entry.until else { return nil }
            return entry.caller
        }
    }

    func store(_ caller: ServiceCaller, for token: String, from: Date, until: Date) {
        state.withLock { state in
            if state.verified.count >= Self.capacity { state.verified.removeAll() }
            state.verified[token] = (caller, from, until)
        }
    }
}
