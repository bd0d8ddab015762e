import Foundation

/// Tunables of the auth service; defaults are the production values.
public struct AuthSettings: Sendable {
    /// The `iss` claim of issued tokens.
    public var issuer = "lastmile"
    /// The `aud` claim of issued tokens.
    public var audience = "lastmile-api"
    /// Access-token lifetime: 15 minutes.
    public var accessTokenTTL: TimeInterval = 15 * 60
    /// Refresh-token (and session) lifetime: 30 days, extended on each refresh.
    public var refreshTokenTTL: TimeInterval = 30 * 24 * 3600
    /// Clock skew tolerated on `exp` and `nbf`.
    public var leeway: TimeInterval = 30
    /// How long after a rotation a second use of the old refresh token is taken for a race, not theft.
    public var refreshRaceWindow: TimeInterval = 10
    /// bcrypt cost factor.
    public var bcryptCost: UInt8 = 12
    /// Password-reset token lifetime.
    public var resetTokenTTL: TimeInterval = 30 * 60
    /// Brute-force rules.
    public var lockout = LockoutPolicy()
    /// How often a session's last-seen time is written at most.
    public var lastSeenResolution: TimeInterval = 60
    /// How long a new signing key is published before it signs, so that every process verifying tokens knows it
    /// by then: longer than ``keyReloadInterval`` plus a verifier's pause between fetches of the keys (5 s).
    public var keyPublicationDelay: TimeInterval = 60
    /// How often a running auth process reads the signing keys again at most, picking up a rotation made by another
    /// process (`lastmile auth-keys rotate`, another replica).
    public var keyReloadInterval: TimeInterval = 30
    /// Keep user profiles in memory. Only for a process that is the sole writer of users (the embedded mode);
    /// replicas sharing PostgreSQL read them every time.
    public var cacheProfiles = false

    /// Production defaults.
    public init() {}
}
