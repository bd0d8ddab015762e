import Contracts

/// ``AuthAPI`` in another process: each method is a call of its ``AuthOperations`` operation, except
/// ``authenticate(accessToken:)``, which runs here with auth's published keys and the shared session store (Auth's
/// `AccessTokenVerifier`), so that a request costs no call to auth.
public struct AuthClient: AuthAPI {
    private let remote: RemoteService
    private let verify: @Sendable (String) async throws -> AccessClaims

    /// A client over `remote` (whose service is `auth`) that authenticates tokens with `verify`.
    public init(remote: RemoteService, authenticate verify: @escaping @Sendable (String) async throws -> AccessClaims) {
        self.remote = remote
        self.verify = verify
    }

    /// Signs in.
    public func login(email: String, password: String, client: ClientInfo) async throws -> TokenPair {
        try await remote.call(AuthOperations.login, .init(email: email, password: password, client: client))
    }

    /// Rotates a refresh token.
    public func refresh(refreshToken: String, client: ClientInfo) async throws -> TokenPair {
        try await remote.call(AuthOperations.refresh, .init(refreshToken: refreshToken, client: client))
    }

    /// Verifies an access token here.
    public func authenticate(accessToken: String) async throws -> AccessClaims { try await verify(accessToken) }

    /// Ends a session.
    public func logout(sessionID: String) async throws {
        _ = try await remote.call(AuthOperations.logout, .init(sessionID: sessionID))
    }

    /// Ends every session of a user.
    public func logoutEverywhere(userID: String) async throws {
        _ = try await remote.call(AuthOperations.logoutEverywhere, .init(userID: userID))
    }

    /// A user's sessions.
    public func sessions(userID: String, currentSessionID: String?) async throws -> [SessionInfo] {
        try await remote.call(AuthOperations.sessions, .init(userID: userID, currentSessionID: currentSessionID))
    }

    /// Ends one of a user's sessions.
    public func revokeSession(userID: String, sessionID: String) async throws {
        _ = try await remote.call(AuthOperations.revokeSession, .init(userID: userID, sessionID: sessionID))
    }

    /// A user's profile.
    public func profile(userID: String) async throws -> UserProfile {
        try await remote.call(AuthOperations.profile, .init(userID: userID))
    }

    /// Changes a password.
    public func changePassword(userID: String, sessionID: String, currentPassword: String, newPassword: String) async throws {
        _ = try await remote.call(
            AuthOperations.changePassword,
            .init(userID: userID, sessionID: sessionID, currentPassword: currentPassword, newPassword: newPassword))
    }

    /// Starts a password reset.
    public func requestPasswordReset(email: String, client: ClientInfo) async throws {
        _ = try await remote.call(AuthOperations.requestPasswordReset, .init(email: email, client: client))
    }

    /// Finishes a password reset.
    public func resetPassword(token: String, newPassword: String) async throws {
        _ = try await remote.call(AuthOperations.resetPassword, .init(token: token, newPassword: newPassword))
    }

    /// Auth's public keys.
    public func jwks() async throws -> JWKSet { try await Self.publishedKeys(of: remote) }

    /// Auth's public keys, read through its internal API at `remote`: what a process without auth verifies access
    /// tokens with (Auth's `AccessTokenVerifier.published`), fetched before the client that authenticates exists.
    public static func publishedKeys(of remote: RemoteService) async throws -> JWKSet {
        try await remote.call(AuthOperations.jwks, NoContent())
    }

    /// Creates a user.
    public func createUser(email: String, password: String, role: Role, locale: String) async throws -> UserProfile {
        try await remote.call(AuthOperations.createUser, .init(email: email, password: password, role: role, locale: locale))
    }
}
