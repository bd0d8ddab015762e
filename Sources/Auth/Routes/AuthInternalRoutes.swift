import Contracts
import ServerKit

/// The auth service's internal API: every ``AuthAPI`` method but `authenticate` at its ``AuthOperations`` path.
///
/// A call made for a signed-in user may concern only that user's own sessions and profile, and creating users is
/// for staff: anything else is answered as not found.
public struct AuthInternalRoutes {
    /// The service answering (the local object).
    public let auth: any AuthAPI

    /// Creates the routes over `auth`.
    public init(auth: any AuthAPI) { self.auth = auth }

    /// Registers every operation on `router`.
    public func register(on router: SecureRouter) {
        let routes = InternalRoutes(router: router, service: "auth")
        let auth = auth
        typealias Ops = AuthOperations
        routes.on(Ops.login) { input, _ in try await auth.login(email: input.email, password: input.password, client: input.client) }
        routes.on(Ops.refresh) { input, _ in try await auth.refresh(refreshToken: input.refreshToken, client: input.client) }
        routes.on(Ops.logout) { input, caller in
            try Self.ownSession(input.sessionID, caller)
            try await auth.logout(sessionID: input.sessionID)
            return NoContent()
        }
        routes.on(Ops.logoutEverywhere) { input, caller in
            try Self.same(user: input.userID, caller)
            try await auth.logoutEverywhere(userID: input.userID)
            return NoContent()
        }
        routes.on(Ops.sessions) { input, caller in
            try Self.same(user: input.userID, caller)
            return try await auth.sessions(userID: input.userID, currentSessionID: input.currentSessionID)
        }
        routes.on(Ops.revokeSession) { input, caller in
            try Self.same(user: input.userID, caller)
            try await auth.revokeSession(userID: input.userID, sessionID: input.sessionID)
            return NoContent()
        }
        routes.on(Ops.profile) { input, caller in
            try Self.same(user: input.userID, caller)
            return try await auth.profile(userID: input.userID)
        }
        routes.on(Ops.changePassword) { input, caller in
            try Self.same(user: input.userID, caller)
            try await auth.changePassword(
                userID: input.userID, sessionID: input.sessionID, currentPassword: input.currentPassword, newPassword: input.newPassword)
            return NoContent()
        }
        routes.on(Ops.requestPasswordReset) { input, _ in
            try await auth.requestPasswordReset(email: input.email, client: input.client)
            return NoContent()
        }
        routes.on(Ops.resetPassword) { input, _ in
            try await auth.resetPassword(token: input.token, newPassword: input.newPassword)
            return NoContent()
        }
        routes.on(Ops.jwks) { _, _ in try await auth.jwks() }
        routes.on(Ops.createUser) { input, caller in
            if let user = caller.actingUser, user.role == .customer { throw AuthError.notFound }
            return try await auth.createUser(email: input.email, password: input.password, role: input.role, locale: input.locale)
        }
    }

    /// A call for a user about another user is answered as not found (operators act on others through their own
    /// routes, which say so).
    static func same(user userID: String, _ caller: ServiceCaller) throws {
        if let customer = caller.customerUserID, customer != userID { throw AuthError.notFound }
    }

    /// A customer may end only their own session.
    static func ownSession(_ sessionID: String, _ caller: ServiceCaller) throws {
        guard let user = caller.actingUser, user.role == .customer else { return }
        guard user.sessionID == sessionID else { throw AuthError.notFound }
    }
}
