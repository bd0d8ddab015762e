import HTTPTypes

extension AuthError: ProblemConvertible {
    /// The HTTP answer to an auth refusal. Reasons meant for logs (``AuthError/invalidToken(reason:)``) stay out of the body.
    public var problem: Problem? {
        switch self {
        case .invalidCredentials:
            Problem(
                .unauthorized, code: "invalid-credentials", title: "Invalid e-mail or password",
                detail: "The e-mail or the password is wrong", headers: Problem.bearerChallenge())
        case .locked(let retryAfter):
            Problem(
                .tooManyRequests, code: "locked", title: "Too many failed attempts",
                detail: "Sign-in is locked for a while; try again later", headers: [.retryAfter: String(max(1, retryAfter))])
        case .invalidToken:
            Problem(
                .unauthorized, code: "invalid-token", title: "Invalid access token",
                detail: "The access token is missing, malformed or expired; sign in again",
                headers: Problem.bearerChallenge(error: "invalid_token"))
        case .sessionRevoked:
            Problem(
                .unauthorized, code: "session-revoked", title: "Session ended",
                detail: "This session has ended; sign in again", headers: Problem.bearerChallenge(error: "invalid_token"))
        case .invalidRefreshToken:
            Problem(
                .unauthorized, code: "invalid-refresh-token", title: "Invalid refresh token",
                detail: "The refresh token is unknown, expired or revoked; sign in again", headers: Problem.bearerChallenge())
        case .refreshTokenReused:
            Problem(
                .unauthorized, code: "refresh-token-reused", title: "Refresh token reused",
                detail: "This refresh token was used before; the session has been ended for safety", headers: Problem.bearerChallenge())
        case .refreshRaced:
            Problem(
                .conflict, code: "refresh-raced", title: "Refresh already done",
                detail: "The refresh token was rotated by a concurrent request; use the newest tokens")
        case .emailTaken:
            Problem(
                .conflict, code: "email-taken", title: "E-mail already registered",
                detail: "An account with this e-mail exists already", field: "email")
        case .invalidField(let field, let reason):
            .invalidField(field, reason)
        case .wrongCurrentPassword:
            Problem(
                .badRequest, code: "wrong-current-password", title: "Current password is wrong",
                detail: "The current password does not match", field: "currentPassword")
        case .invalidResetToken:
            Problem(
                .badRequest, code: "invalid-reset-token", title: "Invalid reset link",
                detail: "The password-reset token is unknown, used or expired", field: "token")
        case .notFound:
            .notFound
        case .unavailable:
            .unavailable("The session service is unavailable; try again shortly")
        }
    }
}
