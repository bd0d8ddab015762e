/// The auth service as the gateway and other services see it (seed: Auth Service).
public protocol AuthAPI: Sendable {
    /// Checks credentials and opens a session.
    func login(email: String, password: String, client: ClientInfo) async throws -> TokenPair
    /// Rotates a refresh token; a reused one revokes its family and session.
    func refresh(refreshToken: String, client: ClientInfo) async throws -> TokenPair
    /// Verifies an access token and checks that its session is still active (seed steps 9–10).
    func authenticate(accessToken: String) async throws -> AccessClaims
    /// Ends one session.
    func logout(sessionID: String) async throws
    /// Ends every session of the user.
    func logoutEverywhere(userID: String) async throws
    /// The user's active sessions.
    func sessions(userID: String, currentSessionID: String?) async throws -> [SessionInfo]
    /// Ends one of the user's own sessions; another user's id answers ``AuthError/notFound``.
    func revokeSession(userID: String, sessionID: String) async throws
    /// The user's profile.
    func profile(userID: String) async throws -> UserProfile
    /// Changes the password after checking the current one; ends the user's other sessions.
    func changePassword(userID: String, sessionID: String, currentPassword: String, newPassword: String) async throws
    /// Starts a password reset; answers the same whether or not the e-mail is known.
    func requestPasswordReset(email: String, client: ClientInfo) async throws
    /// Sets a new password with a reset token; the token works once.
    func resetPassword(token: String, newPassword: String) async throws
    /// The public keys that verify access tokens.
    func jwks() async throws -> JWKSet
    /// Creates a user (operators and the CLI).
    func createUser(email: String, password: String, role: Role, locale: String) async throws -> UserProfile
}
