import Foundation

/// Every way an auth operation can be refused; each says its HTTP answer (`AuthError+Problem.swift`).
public enum AuthError: Error, Sendable, Equatable, Codable {
    /// Unknown e-mail or wrong password: deliberately the same answer.
    case invalidCredentials
    /// Too many failures for this account or address; try again after the interval.
    case locked(retryAfter: Int)
    /// The access token is missing, malformed, expired or not ours; the reason is for logs only.
    case invalidToken(reason: String)
    /// The token's session was revoked or has expired.
    case sessionRevoked
    /// The refresh token is unknown, expired or revoked.
    case invalidRefreshToken
    /// The refresh token was used again after the grace interval: its family and session are revoked.
    case refreshTokenReused
    /// The refresh token was rotated a moment ago by a concurrent request; use the new one.
    case refreshRaced
    /// The e-mail is registered already.
    case emailTaken
    /// The value of a field breaks a rule; `field` names it.
    case invalidField(field: String, reason: String)
    /// The current password given for a change is wrong.
    case wrongCurrentPassword
    /// The password-reset token is unknown, used or expired.
    case invalidResetToken
    /// The object does not exist or is not the caller's.
    case notFound
    /// The session store cannot be reached; protected requests fail closed.
    case unavailable
}

extension AuthError: RemoteError {
    /// Travels between processes under this name.
    public static let remoteName = "AuthError"
}
