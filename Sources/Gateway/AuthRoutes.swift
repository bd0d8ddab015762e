import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import ServerKit

/// `/api/v1/auth/*`: the seed's login and security flows.
struct AuthRoutes: Sendable {
    let auth: any AuthAPI
    let cookies: SessionCookies
    let security: RouteSecurity
    /// `GET /me` answers the same few hundred bytes on every authenticated page load; encode them once per change.
    let profileJSON = JSONResponseCache<UserProfile>()

    func register(on router: SecureRouter) {
        let group = SecureRouteGroup(parent: router, prefix: "/api/v1/auth")
        group.post("login", access: .anonymous, class: .credentials, handler: login)
        group.post("refresh", access: .anonymous, class: .credentials, handler: refresh)
        group.post("logout", access: .permission(.ownAccount), class: .api, handler: logout)
        group.post("logout-all", access: .permission(.ownAccount), class: .api, handler: logoutAll)
        group.get("me", access: .permission(.ownAccount), class: .api) { _, context in
            let profile = try await auth.profile(userID: try context.requireIdentity().userID)
            return profileJSON.response(for: profile, key: profile.id)
        }
        group.get("sessions", access: .permission(.ownAccount), class: .api) { _, context in
            let identity = try context.requireIdentity()
            return SessionList(items: try await auth.sessions(userID: identity.userID, currentSessionID: identity.sessionID))
        }
        group.delete("sessions/{id}", access: .permission(.ownAccount), class: .api) { _, context in
            let identity = try context.requireIdentity()
            let id = try context.parameters.require("id")
            try await auth.revokeSession(userID: identity.userID, sessionID: id)
            return Response(status: .noContent)
        }
        group.post("password", access: .permission(.ownAccount), class: .credentials) { request, context in
            let identity = try context.requireIdentity()
            let body = try await request.decodeJSON(ChangePasswordBody.self, context: context)
            try await auth.changePassword(
                userID: identity.userID, sessionID: identity.sessionID, currentPassword: body.currentPassword, newPassword: body.newPassword)
            return Response(status: .noContent)
        }
        group.post("password-reset/request", access: .anonymous, class: .credentials) { request, context in
            let body = try await request.decodeJSON(ResetRequestBody.self, context: context)
            try await auth.requestPasswordReset(email: body.email, client: client(request, context))
            return Response(status: .accepted)
        }
        group.post("password-reset/confirm", access: .anonymous, class: .credentials) { request, context in
            let body = try await request.decodeJSON(ResetConfirmBody.self, context: context)
            try await auth.resetPassword(token: body.token, newPassword: body.newPassword)
            return Response(status: .noContent)
        }
        router.get("/.well-known/jwks.json", access: .anonymous, class: .infrastructure) { _, _ in
            try await auth.jwks()
        }
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(LoginBody.self, context: context)
        guard !body.email.isEmpty else { throw Problem.invalidField("email", "field email must not be empty") }
        guard !body.password.isEmpty else { throw Problem.invalidField("password", "field password must not be empty") }
        var info = client(request, context)
        if let device = body.device, !device.isEmpty { info.device = String(device.prefix(200)) }
        let pair = try await auth.login(email: body.email, password: body.password, client: info)
        return try respond(with: pair, delivery: body.delivery ?? .token, request: request, context: context)
    }

    @Sendable func refresh(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = request.headers[.contentType] == nil ? RefreshBody() : try await request.decodeJSON(RefreshBody.self, context: context)
        if let token = body.refreshToken {
            return try respond(
                with: try await auth.refresh(refreshToken: token, client: client(request, context)), delivery: .token, request: request,
                context: context)
        }
        guard let token = request.cookies[SessionCookies.refreshName]?.value, !token.isEmpty else {
            throw Problem.invalidField("refreshToken", "field refreshToken is required (or the refresh cookie)")
        }
        try security.verifyCSRFToken(request)
        return try respond(
            with: try await auth.refresh(refreshToken: token, client: client(request, context)), delivery: .cookie, request: request,
            context: context)
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await auth.logout(sessionID: try context.requireIdentity().sessionID)
        var response = Response(status: .noContent)
        cookies.clear(on: &response)
        return response
    }

    @Sendable func logoutAll(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await auth.logoutEverywhere(userID: try context.requireIdentity().userID)
        var response = Response(status: .noContent)
        cookies.clear(on: &response)
        return response
    }

    private func respond(with pair: TokenPair, delivery: SessionDelivery, request: Request, context: AppRequestContext) throws -> Response {
        switch delivery {
        case .token:
            var response = try TokenResponse(pair).response(from: request, context: context)
            response.headers[.cacheControl] = "no-store"
            return response
        case .cookie:
            let csrf = SecureRandom.token(bytes: 24)
            var response = try CookieSessionResponse(sessionId: pair.sessionId, expiresIn: pair.expiresIn, csrfToken: csrf)
                .response(from: request, context: context)
            cookies.set(pair, csrf: csrf, on: &response)
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }
}

/// Client facts recorded on sessions.
func client(_ request: Request, _ context: AppRequestContext) -> ClientInfo {
    ClientInfo(ipAddress: context.clientIP, device: String((request.headers[.userAgent] ?? "unknown").prefix(200)))
}

extension AppRequestContext {
    /// The verified caller; routes with a permission always have one, so a miss is a 401.
    func requireIdentity() throws -> Identity {
        guard let identity else { throw Problem.unauthorized() }
        return identity
    }
}
