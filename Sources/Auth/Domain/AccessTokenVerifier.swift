import Contracts
import Foundation
import JWTKit
import Kernel
import Logging
import Synchronization

/// Where a verifier finds the public key a token names.
protocol VerificationKeys: Sendable {
    /// A collection that holds key `kid`, or nil when it is not known.
    func verifier(for kid: String) -> JWTKeyCollection?
    /// Loads the keys again if they were last loaded long enough ago; returns whether it did.
    func reloadIfStale(now: Date) async throws -> Bool
}

extension KeyRing: VerificationKeys {}

/// Checks access tokens: the signature against auth's keys, every claim, then that the session is still active in
/// the session store; records the session's use now and then.
///
/// The auth service verifies with its own key ring; a gateway in another process verifies with auth's published
/// keys (``published(settings:sessions:clock:logger:fetchKeys:)``) and the shared session store, so a request costs
/// no call to auth.
public final class AccessTokenVerifier: Sendable {
    private let codec: AccessTokenCodec
    private let keys: any VerificationKeys
    private let sessions: any SessionStore
    private let settings: AuthSettings
    private let clock: any WallClock
    private let logger: Logger
    private let verified = VerifiedTokenCache()
    private let lastTouched = Mutex<[String: Date]>([:])

    init(settings: AuthSettings, keys: any VerificationKeys, sessions: any SessionStore, clock: any WallClock, logger: Logger) {
        self.codec = AccessTokenCodec(issuer: settings.issuer, audience: settings.audience, leeway: settings.leeway)
        self.keys = keys
        self.sessions = sessions
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// A verifier for a process without the auth service: the keys come from `fetchKeys` (auth's JWKS), fetched again
    /// when a token names a key not seen yet (a rotation), at most once every few seconds.
    public static func published(
        settings: AuthSettings, sessions: any SessionStore, clock: any WallClock = SystemClock(), logger: Logger,
        fetchKeys: @escaping @Sendable () async throws -> JWKSet
    ) -> AccessTokenVerifier {
        AccessTokenVerifier(settings: settings, keys: PublishedKeys(fetch: fetchKeys), sessions: sessions, clock: clock, logger: logger)
    }

    /// The claims of a valid token whose session is active; ``AuthError`` otherwise (`unavailable` when the keys
    /// or the session store cannot be reached: protected requests fail closed).
    public func authenticate(accessToken: String) async throws -> AccessClaims {
        let now = clock.now()
        let claims: AccessClaims
        if let cached = verified.claims(for: accessToken, now: now, leeway: settings.leeway) {
            claims = cached
        } else {
            let kid = try codec.keyID(of: accessToken)
            var verifier = keys.verifier(for: kid)
            if verifier == nil {
                let reloaded: Bool
                do {
                    reloaded = try await keys.reloadIfStale(now: now)
                } catch {
                    logger.error("signing keys unavailable", metadata: ["error": "\(error)"])
                    throw AuthError.unavailable
                }
                if reloaded { verifier = keys.verifier(for: kid) }
            }
            guard let verifier else { throw AuthError.invalidToken(reason: "unknown key") }
            claims = try await codec.verify(accessToken, with: verifier, now: now)
            verified.insert(claims, for: accessToken)
        }
        let session: SessionRecord?
        do {
            session = try await sessions.find(id: claims.sessionID)
        } catch {
            logger.error("session store unavailable", metadata: ["error": "\(error)"])
            throw AuthError.unavailable
        }
        guard let session, session.isActive(at: now), session.userID == claims.userID else { throw AuthError.sessionRevoked }
        try await touchIfStale(session, now: now)
        return claims
    }

    private func touchIfStale(_ session: SessionRecord, now: Date) async throws {
        let resolution = settings.lastSeenResolution
        let due = lastTouched.withLock { touched -> Bool in
            let last = max(touched[session.id] ?? .distantPast, session.lastSeenAt)
            guard now.timeIntervalSince(last) >= resolution else { return false }
            if touched.count > 100_000 { touched.removeAll() }
            touched[session.id] = now
            return true
        }
        if due { try await sessions.touch(id: session.id, lastSeenAt: now, expiresAt: nil) }
    }
}

/// Auth's public keys as it publishes them (JWKS), fetched on demand.
///
/// One fetch at a time: callers that find the keys stale while a fetch is under way wait for it rather than refuse
/// their token. Until a fetch succeeds after a failed one, an unknown key is "cannot tell" (the fetch's error), not
/// "invalid": a gateway that could not reach auth must answer 503, never sign everybody out with 401.
final class PublishedKeys: VerificationKeys {
    private struct State {
        var kids = Set<String>()
        var collection = JWTKeyCollection()
        var lastReload = Date.distantPast
        var loading: Task<Void, any Error>?
        var lastFailure: (any Error)?
    }

    private let fetch: @Sendable () async throws -> JWKSet
    private let state = Mutex(State())
    private let reloadInterval: TimeInterval = 5

    init(fetch: @escaping @Sendable () async throws -> JWKSet) { self.fetch = fetch }

    func verifier(for kid: String) -> JWTKeyCollection? {
        state.withLock { $0.kids.contains(kid) ? $0.collection : nil }
    }

    func reloadIfStale(now: Date) async throws -> Bool {
        let (loading, failure) = state.withLock { state -> (Task<Void, any Error>?, (any Error)?) in
            if let loading = state.loading { return (loading, nil) }
            guard now.timeIntervalSince(state.lastReload) >= reloadInterval else { return (nil, state.lastFailure) }
            // Counted before the fetch: a flood of tokens with unknown ids makes one fetch per interval, not one each.
            state.lastReload = now
            let loading = Task { try await self.load() }
            state.loading = loading
            return (loading, nil)
        }
        guard let loading else {
            if let failure { throw failure }
            return false
        }
        try await loading.value
        return true
    }

    private func load() async throws {
        let set: JWKSet
        do {
            set = try await fetch()
        } catch {
            state.withLock {
                $0.lastFailure = error
                $0.loading = nil
            }
            throw error
        }
        let collection = JWTKeyCollection(defaultJWTSerializer: AccessTokenCodec.serializer)
        var kids = Set<String>()
        for key in set.keys where key.kty == "OKP" && key.crv == "Ed25519" && key.alg == "EdDSA" {
            guard let publicKey = try? EdDSA.PublicKey(x: key.x, curve: .ed25519) else { continue }
            await collection.add(eddsa: publicKey, kid: JWKIdentifier(string: key.kid))
            kids.insert(key.kid)
        }
        state.withLock {
            $0.kids = kids
            $0.collection = collection
            $0.lastFailure = nil
            $0.loading = nil
        }
    }
}
