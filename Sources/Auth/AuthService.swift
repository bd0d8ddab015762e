import Contracts
import Foundation
import JWTKit
import Kernel
import Logging
import Messaging
import Storage
import Synchronization

/// The auth service (seed: Auth Service): users, passwords, sessions, tokens, brute-force protection.
public final class AuthService: AuthAPI {
    let database: any Database
    private let sessions: any SessionStore
    private let settings: AuthSettings
    let clock: any WallClock
    private let hasher: PasswordHasher
    private let codec: AccessTokenCodec
    private let keys: KeyRing
    private let logger: Logger
    private let dummyHash: Mutex<String?> = Mutex(nil)
    private let verifier: AccessTokenVerifier
    private let profiles = Mutex<[String: UserProfile]>([:])

    /// Creates the service. Call ``start()`` before use: it loads (or creates) the signing keys.
    public init(
        database: any Database, sessions: any SessionStore, settings: AuthSettings = AuthSettings(), clock: any WallClock = SystemClock(),
        logger: Logger = Logger(label: "lastmile.auth")
    ) {
        self.database = database
        self.sessions = sessions
        self.settings = settings
        self.clock = clock
        self.hasher = PasswordHasher(cost: settings.bcryptCost)
        self.codec = AccessTokenCodec(issuer: settings.issuer, audience: settings.audience, leeway: settings.leeway)
        self.keys = KeyRing(database: database, publicationDelay: settings.keyPublicationDelay)
        self.logger = logger
        self.verifier = AccessTokenVerifier(settings: settings, keys: keys, sessions: sessions, clock: clock, logger: logger)
    }

    /// Loads the signing keys and prepares the hash used for unknown e-mails.
    public func start() async throws {
        try await keys.load(now: clock.now())
        _ = try await timingHash()
    }

    // MARK: Login

    /// Checks credentials; unknown e-mail and wrong password get the same answer after the same bcrypt work.
    public func login(email: String, password: String, client: ClientInfo) async throws -> TokenPair {
        let now = clock.now()
        let accountSubject = Self.accountSubject(email)
        let addressSubject = "ip:\(client.ipAddress)"
        let states = try await LoginAttemptStore.states([accountSubject, addressSubject], in: database)
        if let wait = states.values.compactMap({ $0.retryAfter(now: now) }).max() {
            throw AuthError.locked(retryAfter: wait)
        }
        let user = try await UserStore.find(email: email, in: database)
        let storedHash: String
        if let user { storedHash = user.passwordHash } else { storedHash = try await timingHash() }
        let matches = try await hasher.verify(password, hash: storedHash)
        guard let user, matches, user.isActive else {
            try await recordFailure(account: accountSubject, address: addressSubject, now: now)
            throw AuthError.invalidCredentials
        }
        return try await openSession(for: user, client: client, clearing: accountSubject, now: now)
    }

    private func openSession(for user: UserRecord, client: ClientInfo, clearing subject: String, now: Date) async throws -> TokenPair {
        let session = SessionRecord(
            id: Identifier<SessionRecord>.generate().rawValue, userID: user.id, device: String(client.device.prefix(200)),
            ipAddress: client.ipAddress, createdAt: now, lastSeenAt: now, expiresAt: now.addingTimeInterval(settings.refreshTokenTTL))
        let refreshToken = SecureRandom.token()
        try await database.transaction { tx in
            try await LoginAttemptStore.clear(subject, in: tx)
            try await RefreshTokenStore.insert(
                hash: TokenHash.of(refreshToken), sessionID: session.id, userID: user.id, issuedAt: now, expiresAt: session.expiresAt, in: tx)
            if try await KnownDeviceStore.signedIn(userID: user.id, device: session.device, at: now, in: tx) {
                try await Outbox.append(
                    NewDeviceSignIn(userId: user.id, device: session.device, ipAddress: client.ipAddress, at: now, locale: user.locale), at: now,
                    in: tx)
            }
        }
        try await sessions.create(session)
        logger.info("login", metadata: ["user_id": "\(user.id)", "session_id": "\(session.id)"])
        return try await tokenPair(user: user, sessionID: session.id, refreshToken: refreshToken, now: now)
    }

    private func recordFailure(account: String, address: String, now: Date) async throws {
        let policy = settings.lockout
        try await database.transaction { tx in
            let states = try await LoginAttemptStore.states([account, address], in: tx)
            for (subject, threshold, scope) in [(account, policy.accountThreshold, "account"), (address, policy.addressThreshold, "ip")] {
                let current = states[subject] ?? AttemptState(windowStart: now)
                let (next, locked) = policy.recordFailure(current, threshold: threshold, now: now)
                try await LoginAttemptStore.save(subject, next, in: tx)
                if locked, let until = next.lockedUntil {
                    let shown = scope == "ip" ? String(subject.dropFirst(3)) : String(subject.dropFirst(8))
                    try await Outbox.append(
                        LoginLocked(scope: scope, subject: shown, failures: threshold, lockedUntil: until), at: now, in: tx)
                }
            }
        }
    }

    private func tokenPair(user: UserRecord, sessionID: String, refreshToken: String, now: Date) async throws -> TokenPair {
        await reloadKeysIfDue(now: now)
        guard let signer = keys.signer(at: now) else { throw AuthError.unavailable }
        let issued = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let payload = AccessTokenPayload(
            iss: IssuerClaim(value: settings.issuer), aud: AudienceClaim(value: settings.audience), sub: SubjectClaim(value: user.id),
            exp: ExpirationClaim(value: issued.addingTimeInterval(settings.accessTokenTTL)), iat: IssuedAtClaim(value: issued),
            nbf: NotBeforeClaim(value: issued), jti: IDClaim(value: Identifier<AccessTokenPayload>.generate().rawValue), sid: sessionID,
            role: user.role.rawValue)
        return TokenPair(
            accessToken: try await codec.sign(payload, kid: signer.kid, with: signer.keys), expiresIn: Int(settings.accessTokenTTL),
            refreshToken: refreshToken, refreshExpiresIn: Int(settings.refreshTokenTTL), sessionId: sessionID)
    }

    func timingHash() async throws -> String {
        if let hash = dummyHash.withLock({ $0 }) { return hash }
        let hash = try await hasher.hash(SecureRandom.token())
        dummyHash.withLock { $0 = hash }
        return hash
    }

    static func accountSubject(_ email: String) -> String {
        "account:" + TokenHash.of(CredentialRules.normalizeEmail(email))
    }

    // MARK: Refresh

    private enum RefreshOutcome: Sendable {
        case rotated(UserRecord, sessionID: String)
        case reused(sessionID: String)
        case raced
        case invalid
    }

    /// Rotates the refresh token. A second use within ``AuthSettings/refreshRaceWindow`` is answered
    /// ``AuthError/refreshRaced`` and changes nothing (two tabs refreshing at once); any later reuse revokes the family
    /// and the session (RFC 9700 §4.14.2).
    public func refresh(refreshToken: String, client: ClientInfo) async throws -> TokenPair {
        let now = clock.now()
        let hash = TokenHash.of(refreshToken)
        let next = SecureRandom.token()
        let settings = settings
        // Read before the transaction: the session store is not the transaction's (see `Database`), and may be Redis.
        var session: SessionRecord?
        if let known = try await RefreshTokenStore.find(hash: hash, in: database) { session = try await sessions.find(id: known.sessionID) }
        let outcome: RefreshOutcome = try await database.transaction { [session] tx in
            guard let token = try await RefreshTokenStore.claim(hash: hash, at: now, in: tx) else {
                guard let used = try await RefreshTokenStore.find(hash: hash, in: tx), let usedAt = used.usedAt else { return .invalid }
                if used.revokedAt == nil, now.timeIntervalSince(usedAt) <= settings.refreshRaceWindow { return .raced }
                if used.revokedAt == nil {
                    try await RefreshTokenStore.revokeFamily(sessionID: used.sessionID, at: now, in: tx)
                    try await Outbox.append(
                        RefreshTokenReuseDetected(userId: used.userID, sessionId: used.sessionID, ipAddress: client.ipAddress), at: now,
                        in: tx)
                }
                return .reused(sessionID: used.sessionID)
            }
            guard token.revokedAt == nil, token.expiresAt > now, let session, session.id == token.sessionID, session.isActive(at: now),
                let user = try await UserStore.find(id: token.userID, in: tx), user.isActive
            else { return .invalid }
            let expiresAt = now.addingTimeInterval(settings.refreshTokenTTL)
            try await RefreshTokenStore.insert(
                hash: TokenHash.of(next), sessionID: session.id, userID: user.id, issuedAt: now, expiresAt: expiresAt, in: tx)
            return .rotated(user, sessionID: session.id)
        }
        switch outcome {
        case .rotated(let user, let sessionID):
            try await sessions.touch(id: sessionID, lastSeenAt: now, expiresAt: now.addingTimeInterval(settings.refreshTokenTTL))
            return try await tokenPair(user: user, sessionID: sessionID, refreshToken: next, now: now)
        case .raced:
            throw AuthError.refreshRaced
        case .reused(let sessionID):
            // The session store may live outside this database (Redis), so it is revoked after the commit.
            try await sessions.revoke(id: sessionID, at: now)
            logger.warning("refresh token reuse: family revoked", metadata: ["ip": "\(client.ipAddress)"])
            throw AuthError.refreshTokenReused
        case .invalid:
            throw AuthError.invalidRefreshToken
        }
    }

    // MARK: Authenticate

    /// Verifies the token's signature and claims, then that its session is still active (revocation applies at once).
    public func authenticate(accessToken: String) async throws -> AccessClaims {
        try await verifier.authenticate(accessToken: accessToken)
    }

    // MARK: Sessions

    /// Revokes the session and its refresh tokens.
    public func logout(sessionID: String) async throws {
        let now = clock.now()
        try await sessions.revoke(id: sessionID, at: now)
        try await database.transaction { tx in try await RefreshTokenStore.revokeFamily(sessionID: sessionID, at: now, in: tx) }
    }

    /// Revokes every session of the user.
    public func logoutEverywhere(userID: String) async throws {
        try await revokeAll(userID: userID, except: nil)
    }

    private func revokeAll(userID: String, except keep: String?) async throws {
        let now = clock.now()
        try await sessions.revokeAll(userID: userID, except: keep, at: now)
        try await database.transaction { tx in try await RefreshTokenStore.revokeAll(userID: userID, except: keep, at: now, in: tx) }
    }

    /// The user's active sessions.
    public func sessions(userID: String, currentSessionID: String?) async throws -> [SessionInfo] {
        try await sessions.active(userID: userID, at: clock.now()).map {
            SessionInfo(
                id: $0.id, device: $0.device, ipAddress: $0.ipAddress, createdAt: $0.createdAt, lastSeenAt: $0.lastSeenAt,
                expiresAt: $0.expiresAt, current: $0.id == currentSessionID)
        }
    }

    /// Revokes one of the user's own sessions.
    public func revokeSession(userID: String, sessionID: String) async throws {
        guard let session = try await sessions.find(id: sessionID), session.userID == userID, session.isActive(at: clock.now()) else {
            throw AuthError.notFound
        }
        try await logout(sessionID: sessionID)
    }

    // MARK: Profile and passwords

    /// The user's profile.
    public func profile(userID: String) async throws -> UserProfile {
        if settings.cacheProfiles, let cached = profiles.withLock({ $0[userID] }) { return cached }
        guard let user = try await UserStore.find(id: userID, in: database) else { throw AuthError.notFound }
        if settings.cacheProfiles {
            profiles.withLock { profiles in
                if profiles.count >= 200_000 { profiles.removeAll(keepingCapacity: true) }
                profiles[userID] = user.profile
            }
        }
        return user.profile
    }

    /// Changes the password and ends every other session of the user.
    public func changePassword(userID: String, sessionID: String, currentPassword: String, newPassword: String) async throws {
        guard let user = try await UserStore.find(id: userID, in: database) else { throw AuthError.notFound }
        guard try await hasher.verify(currentPassword, hash: user.passwordHash) else { throw AuthError.wrongCurrentPassword }
        try CredentialRules.validatePassword(newPassword, field: "newPassword")
        let hash = try await hasher.hash(newPassword)
        let now = clock.now()
        try await database.transaction { tx in try await UserStore.updatePassword(userID: userID, hash: hash, at: now, in: tx) }
        forgetProfile(userID)
        try await revokeAll(userID: userID, except: sessionID)
    }

    /// Issues a reset token through the outbox when the e-mail belongs to an active user; silent otherwise.
    public func requestPasswordReset(email: String, client: ClientInfo) async throws {
        let now = clock.now()
        guard let user = try await UserStore.find(email: email, in: database), user.isActive else {
            logger.info("password reset for unknown e-mail", metadata: ["ip": "\(client.ipAddress)"])
            return
        }
        let token = SecureRandom.token()
        let expiresAt = now.addingTimeInterval(settings.resetTokenTTL)
        try await database.transaction { tx in
            try await ResetTokenStore.insert(hash: TokenHash.of(token), userID: user.id, at: now, expiresAt: expiresAt, in: tx)
            try await Outbox.append(
                PasswordResetRequested(userId: user.id, email: user.email, token: token, expiresAt: expiresAt, locale: user.locale),
                at: now, in: tx)
        }
    }

    /// Sets a new password with a reset token, once; ends every session of the user and lifts the account lock.
    public func resetPassword(token: String, newPassword: String) async throws {
        try CredentialRules.validatePassword(newPassword, field: "newPassword")
        let hash = try await hasher.hash(newPassword)
        let now = clock.now()
        let userID: String = try await database.transaction { tx in
            guard let userID = try await ResetTokenStore.consume(hash: TokenHash.of(token), at: now, in: tx),
                let user = try await UserStore.find(id: userID, in: tx)
            else { throw AuthError.invalidResetToken }
            try await UserStore.updatePassword(userID: userID, hash: hash, at: now, in: tx)
            try await LoginAttemptStore.clear(Self.accountSubject(user.email), in: tx)
            return userID
        }
        forgetProfile(userID)
        try await revokeAll(userID: userID, except: nil)
    }

    /// Drops a cached profile; every change to a user row calls it.
    private func forgetProfile(_ userID: String) {
        _ = profiles.withLock { $0.removeValue(forKey: userID) }
    }

    // MARK: Keys and users

    /// The live public keys, a key about to sign included.
    public func jwks() async throws -> JWKSet {
        await reloadKeysIfDue(now: clock.now())
        return JWKSet(keys: keys.verifyingKeys.map(\.jwk))
    }

    /// Publishes a new signing key at once; it signs new tokens after ``AuthSettings/keyPublicationDelay`` (every
    /// auth process by then), and tokens signed by the old ones verify until they expire.
    @discardableResult
    public func rotateSigningKey() async throws -> String {
        let now = clock.now()
        let retireAt = now.addingTimeInterval(settings.keyPublicationDelay + settings.accessTokenTTL + settings.leeway)
        return try await keys.rotate(now: now, retireAt: retireAt).id
    }

    /// Reads the keys again when the last read is older than ``AuthSettings/keyReloadInterval``; while the database
    /// cannot be read, signs and publishes with the keys it has.
    private func reloadKeysIfDue(now: Date) async {
        do {
            _ = try await keys.reload(ifOlderThan: settings.keyReloadInterval, now: now)
        } catch {
            logger.warning("signing keys not reloaded", metadata: ["error": "\(error)"])
        }
    }

    /// Creates a user.
    public func createUser(email: String, password: String, role: Role, locale: String) async throws -> UserProfile {
        try CredentialRules.validateEmail(email)
        try CredentialRules.validatePassword(password)
        guard ["ru", "en"].contains(locale) else { throw AuthError.invalidField(field: "locale", reason: "must be ru or en") }
        let now = clock.now()
        let user = UserRecord(
            id: Identifier<UserRecord>.generate().rawValue, email: email.trimmingCharacters(in: .whitespaces),
            passwordHash: try await hasher.hash(password), role: role, isActive: true, locale: locale, createdAt: now)
        do {
            try await database.transaction { tx in
                try await UserStore.insert(user, in: tx)
                try await Outbox.append(UserRegistered(userId: user.id, email: user.email, role: role), at: now, in: tx)
            }
        } catch StorageError.uniqueViolation {
            throw AuthError.emailTaken
        }
        return user.profile
    }

    /// How many users exist (the first start seeds demo users when there are none).
    public func userCount() async throws -> Int {
        try await UserStore.count(in: database)
    }
}
