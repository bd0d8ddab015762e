import Contracts
import HTTPTypes

extension Problem {
    /// The `WWW-Authenticate` challenge sent with every 401 (RFC 9110 §11.6.1, RFC 6750 §3).
    static func bearerChallenge(error: String? = nil) -> HTTPFields {
        var value = "Bearer realm=\"lastmile\""
        if let error { value += ", error=\"\(error)\"" }
        return [.wwwAuthenticate: value]
    }

    /// The HTTP answer to an auth refusal. Reasons meant for logs (``AuthError/invalidToken(reason:)``) stay out of the body.
    public init(_ error: AuthError) {
        switch error {
        case .invalidCredentials:
            self.init(
                .unauthorized, code: "invalid-credentials", title: "Invalid e-mail or password",
                detail: "The e-mail or the password is wrong", headers: Self.bearerChallenge())
        case .locked(let retryAfter):
            self.init(
                .tooManyRequests, code: "locked", title: "Too many failed attempts",
                detail: "Sign-in is locked for a while; try again later", headers: [.retryAfter: String(max(1, retryAfter))])
        case .invalidToken:
            self.init(
                .unauthorized, code: "invalid-token", title: "Invalid access token",
                detail: "The access token is missing, malformed or expired; sign in again",
                headers: Self.bearerChallenge(error: "invalid_token"))
        case .sessionRevoked:
            self.init(
                .unauthorized, code: "session-revoked", title: "Session ended",
                detail: "This session has ended; sign in again", headers: Self.bearerChallenge(error: "invalid_token"))
        case .invalidRefreshToken:
            self.init(
                .unauthorized, code: "invalid-refresh-token", title: "Invalid refresh token",
                detail: "The refresh token is unknown, expired or revoked; sign in again", headers: Self.bearerChallenge())
        case .refreshTokenReused:
            self.init(
                .unauthorized, code: "refresh-token-reused", title: "Refresh token reused",
                detail: "This refresh token was used before; the session has been ended for safety", headers: Self.bearerChallenge())
        case .refreshRaced:
            self.init(
                .conflict, code: "refresh-raced", title: "Refresh already done",
                detail: "The refresh token was rotated by a concurrent request; use the newest tokens")
        case .emailTaken:
            self.init(
                .conflict, code: "email-taken", title: "E-mail already registered",
                detail: "An account with this e-mail exists already", field: "email")
        case .invalidField(let field, let reason):
            self = .invalidField(field, reason)
        case .wrongCurrentPassword:
            self.init(
                .badRequest, code: "wrong-current-password", title: "Current password is wrong",
                detail: "The current password does not match", field: "currentPassword")
        case .invalidResetToken:
            self.init(
                .badRequest, code: "invalid-reset-token", title: "Invalid reset link",
                detail: "The password-reset token is unknown, used or expired", field: "token")
        case .notFound:
            self = .notFound
        case .unavailable:
            self = .unavailable("The session service is unavailable; try again shortly")
        }
    }
}
