/// ``AuthAPI`` as the auth service's internal HTTP API: one ``RemoteOperation`` per method but
/// ``AuthAPI/authenticate(accessToken:)``, which a process without auth does itself with the published keys.
///
/// Logins, refreshes and password changes are sent once: a refresh token spent twice revokes its whole family.
public enum AuthOperations {
    /// The service that answers these operations.
    public static let service = "auth"

    /// The arguments of ``AuthAPI/login(email:password:client:)``.
    public struct LoginInput: Codable, Sendable {
        /// The e-mail.
        public var email: String
        /// The password.
        public var password: String
        /// Where the request came from.
        public var client: ClientInfo
        /// Creates the body.
        public init(email: String, password: String, client: ClientInfo) {
            self.email = email
            self.password = password
            self.client = client
        }
    }

    /// The arguments of ``AuthAPI/refresh(refreshToken:client:)``.
    public struct RefreshInput: Codable, Sendable {
        /// The refresh token.
        public var refreshToken: String
        /// Where the request came from.
        public var client: ClientInfo
        /// Creates the body.
        public init(refreshToken: String, client: ClientInfo) {
            self.refreshToken = refreshToken
            self.client = client
        }
    }

    /// The arguments of a call about one session.
    public struct SessionInput: Codable, Sendable {
        /// The session.
        public var sessionID: String
        /// Creates the body.
        public init(sessionID: String) { self.sessionID = sessionID }
    }

    /// The arguments of a call about one user.
    public struct UserInput: Codable, Sendable {
        /// The user.
        public var userID: String
        /// Creates the body.
        public init(userID: String) { self.userID = userID }
    }

    /// The arguments of ``AuthAPI/sessions(userID:currentSessionID:)``.
    public struct SessionsInput: Codable, Sendable {
        /// The user.
        public var userID: String
        /// The caller's own session, marked in the answer.
        public var currentSessionID: String?
        /// Creates the body.
        public init(userID: String, currentSessionID: String?) {
            self.userID = userID
            self.currentSessionID = currentSessionID
        }
    }

    /// The arguments of ``AuthAPI/revokeSession(userID:sessionID:)``.
    public struct RevokeInput: Codable, Sendable {
        /// The user.
        public var userID: String
        /// The session.
        public var sessionID: String
        /// Creates the body.
        public init(userID: String, sessionID: String) {
            self.userID = userID
            self.sessionID = sessionID
        }
    }

    /// The arguments of ``AuthAPI/changePassword(userID:sessionID:currentPassword:newPassword:)``.
    public struct ChangePasswordInput: Codable, Sendable {
        /// The user.
        public var userID: String
        /// The session that stays signed in.
        public var sessionID: String
        /// The current password.
        public var currentPassword: String
        /// The new password.
        public var newPassword: String
        /// Creates the body.
        public init(userID: String, sessionID: String, currentPassword: String, newPassword: String) {
            self.userID = userID
            self.sessionID = sessionID
            self.currentPassword = currentPassword
            self.newPassword = newPassword
        }
    }

    /// The arguments of ``AuthAPI/requestPasswordReset(email:client:)``.
    public struct ResetRequestInput: Codable, Sendable {
        /// The e-mail.
        public var email: String
        /// Where the request came from.
        public var client: ClientInfo
        /// Creates the body.
        public init(email: String, client: ClientInfo) {
            self.email = email
            self.client = client
        }
    }

    /// The arguments of ``AuthAPI/resetPassword(token:newPassword:)``.
    public struct ResetInput: Codable, Sendable {
        /// The reset token.
        public var token: String
        /// The new password.
        public var newPassword: String
        /// Creates the body.
        public init(token: String, newPassword: String) {
            self.token = token
            self.newPassword = newPassword
        }
    }

    /// The arguments of ``AuthAPI/createUser(email:password:role:locale:)``.
    public struct CreateUserInput: Codable, Sendable {
        /// The e-mail.
        public var email: String
        /// The password.
        public var password: String
        /// The role.
        public var role: Role
        /// The language.
        public var locale: String
        /// Creates the body.
        public init(email: String, password: String, role: Role, locale: String) {
            self.email = email
            self.password = password
            self.role = role
            self.locale = locale
        }
    }

    /// ``AuthAPI/login(email:password:client:)``.
    public static let login: RemoteOperation<LoginInput, TokenPair> = .once(service, "login")
    /// ``AuthAPI/refresh(refreshToken:client:)``.
    public static let refresh: RemoteOperation<RefreshInput, TokenPair> = .once(service, "refresh")
    /// ``AuthAPI/logout(sessionID:)``.
    public static let logout: RemoteOperation<SessionInput, NoContent> = .repeatable(service, "logout")
    /// ``AuthAPI/logoutEverywhere(userID:)``.
    public static let logoutEverywhere: RemoteOperation<UserInput, NoContent> = .repeatable(service, "logout-everywhere")
    /// ``AuthAPI/sessions(userID:currentSessionID:)``.
    public static let sessions: RemoteOperation<SessionsInput, [SessionInfo]> = .repeatable(service, "sessions")
    /// ``AuthAPI/revokeSession(userID:sessionID:)``.
    public static let revokeSession: RemoteOperation<RevokeInput, NoContent> = .repeatable(service, "revoke-session")
    /// ``AuthAPI/profile(userID:)``.
    public static let profile: RemoteOperation<UserInput, UserProfile> = .repeatable(service, "profile")
    /// ``AuthAPI/changePassword(userID:sessionID:currentPassword:newPassword:)``.
    public static let changePassword: RemoteOperation<ChangePasswordInput, NoContent> = .once(service, "change-password")
    /// ``AuthAPI/requestPasswordReset(email:client:)``.
    public static let requestPasswordReset: RemoteOperation<ResetRequestInput, NoContent> = .once(service, "request-password-reset")
    /// ``AuthAPI/resetPassword(token:newPassword:)``.
    public static let resetPassword: RemoteOperation<ResetInput, NoContent> = .once(service, "reset-password")
    /// ``AuthAPI/jwks()``.
    public static let jwks: RemoteOperation<NoContent, JWKSet> = .repeatable(service, "jwks")
    /// ``AuthAPI/createUser(email:password:role:locale:)``.
    public static let createUser: RemoteOperation<CreateUserInput, UserProfile> = .once(service, "create-user")
}
