import Foundation

/// Where a request came from, as the auth service records it on sessions.
public struct ClientInfo: Sendable, Hashable, Codable {
    /// The client's IP address as the gateway saw it.
    public var ipAddress: String
    /// A short device description (User-Agent or what the app sent).
    public var device: String

    /// Creates client information.
    public init(ipAddress: String, device: String) {
        self.ipAddress = ipAddress
        self.device = device
    }
}

/// What a login returns: a short-lived access token and a rotating refresh token.
public struct TokenPair: Codable, Sendable, Hashable {
    /// The access JWT.
    public var accessToken: String
    /// Seconds until the access token expires.
    public var expiresIn: Int
    /// The opaque refresh token; shown once.
    public var refreshToken: String
    /// Seconds until the refresh token expires.
    public var refreshExpiresIn: Int
    /// The session both tokens belong to.
    public var sessionId: String

    /// Creates a token pair.
    public init(accessToken: String, expiresIn: Int, refreshToken: String, refreshExpiresIn: Int, sessionId: String) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.refreshExpiresIn = refreshExpiresIn
        self.sessionId = sessionId
    }
}

/// A user account as the API shows it; never carries secrets.
public struct UserProfile: Codable, Sendable, Hashable {
    /// The user's id.
    public var id: String
    /// The e-mail as the user typed it.
    public var email: String
    /// The user's role.
    public var role: Role
    /// Whether the account may log in.
    public var isActive: Bool
    /// Preferred language of pages and messages (`ru` or `en`).
    public var locale: String
    /// When the account was created.
    public var createdAt: Date

    /// Creates a profile.
    public init(id: String, email: String, role: Role, isActive: Bool, locale: String, createdAt: Date) {
        self.id = id
        self.email = email
        self.role = role
        self.isActive = isActive
        self.locale = locale
        self.createdAt = createdAt
    }
}

/// A login session as its owner sees it in the session list.
public struct SessionInfo: Codable, Sendable, Hashable {
    /// The session's id.
    public var id: String
    /// Device description recorded at login.
    public var device: String
    /// IP address at login.
    public var ipAddress: String
    /// When the session began.
    public var createdAt: Date
    /// The last time a token of this session was used.
    public var lastSeenAt: Date
    /// When the session ends unless refreshed.
    public var expiresAt: Date
    /// Whether this is the session of the request that asked.
    public var current: Bool

    /// Creates session information.
    public init(id: String, device: String, ipAddress: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date, current: Bool) {
        self.id = id
        self.device = device
        self.ipAddress = ipAddress
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.current = current
    }
}

/// The verified facts an access token carries, after the session was found active.
public struct AccessClaims: Sendable, Hashable, Codable {
    /// The user (`sub`).
    public var userID: String
    /// The user's role at login.
    public var role: Role
    /// The session (`sid`).
    public var sessionID: String
    /// The token's id (`jti`).
    public var tokenID: String
    /// When the token expires.
    public var expiresAt: Date

    /// Creates claims.
    public init(userID: String, role: Role, sessionID: String, tokenID: String, expiresAt: Date) {
        self.userID = userID
        self.role = role
        self.sessionID = sessionID
        self.tokenID = tokenID
        self.expiresAt = expiresAt
    }
}

/// A JSON Web Key Set as published at `/.well-known/jwks.json`.
public struct JWKSet: Codable, Sendable, Hashable {
    /// One public key.
    public struct Key: Codable, Sendable, Hashable {
        /// Key type: `OKP` for Ed25519.
        public var kty: String
        /// Curve: `Ed25519`.
        public var crv: String
        /// The public key, base64url.
        public var x: String
        /// Key id, matching the token header's `kid`.
        public var kid: String
        /// Algorithm: `EdDSA`.
        public var alg: String
        /// Use: `sig`.
        public var use: String

        /// Creates a key entry.
        public init(kty: String, crv: String, x: String, kid: String, alg: String, use: String) {
            self.kty = kty
            self.crv = crv
            self.x = x
            self.kid = kid
            self.alg = alg
            self.use = use
        }
    }

    /// The keys that verify tokens now.
    public var keys: [Key]

    /// Creates a key set.
    public init(keys: [Key]) { self.keys = keys }
}
