import Auth
import Contracts
import Foundation
import Kernel
import ServerKit
import Testing

/// ``AuthAPI``'s contract, held by the local service and by the client over the internal API alike: the same calls
/// give the same answers and the same typed errors in both modes. Remotely, `authenticate` is the gateway's own
/// check with auth's published keys.
@Suite("Auth contract")
struct AuthContractTests {
    @Test("Users: create, read the profile; a taken e-mail and invalid fields are refused", arguments: Mode.allCases)
    func users(mode: Mode) async throws {
        try await AuthEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let created = try await api.createUser(email: "anna@example.com", password: AuthEndpoint.password, role: .billingManager, locale: "en")
            #expect(created.email == "anna@example.com" && created.role == .billingManager && created.locale == "en" && created.isActive)
            #expect(try await api.profile(userID: created.id) == created)
            await #expect(throws: AuthError.emailTaken) {
                try await api.createUser(email: "anna@example.com", password: AuthEndpoint.password, role: .customer, locale: "ru")
            }
            let refusals: [(String, String, String, String)] = [
                ("email", "not-an-email", AuthEndpoint.password, "ru"), ("password", "b@example.com", "short", "ru"),
                ("locale", "c@example.com", AuthEndpoint.password, "de"),
            ]
            for (field, email, password, locale) in refusals {
                let error = try await authError { _ = try await api.createUser(email: email, password: password, role: .customer, locale: locale) }
                guard case .invalidField(let named, _) = error else {
                    Issue.record("\(field): \(String(describing: error))")
                    continue
                }
                #expect(named == field)
            }
            await #expect(throws: AuthError.notFound) { try await api.profile(userID: "missing") }
        }
    }

    @Test("Login: tokens that authenticate; wrong credentials, then the lock", arguments: Mode.allCases)
    func login(mode: Mode) async throws {
        try await AuthEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let user = try await endpoint.user(.supportAgent)
            let pair = try await endpoint.login(user)
            #expect(pair.expiresIn == 900 && !pair.refreshToken.isEmpty)
            let claims = try await api.authenticate(accessToken: pair.accessToken)
            #expect(claims.userID == user.id && claims.role == .supportAgent && claims.sessionID == pair.sessionId)
            let notAToken = try await authError { _ = try await api.authenticate(accessToken: "not-a-token") }
            guard case .invalidToken = notAToken else { throw Failure("not a token: \(String(describing: notAToken))") }

            await #expect(throws: AuthError.invalidCredentials) {
                try await api.login(email: "nobody@example.com", password: AuthEndpoint.password, client: AuthEndpoint.client)
            }
            for _ in 0..<endpoint.settings.lockout.accountThreshold {
                await #expect(throws: AuthError.invalidCredentials) { try await endpoint.login(user, password: "wrong password 1") }
            }
            await #expect(throws: AuthError.locked(retryAfter: 60)) { try await endpoint.login(user) }
            endpoint.clock.advance(by: 45)
            await #expect(throws: AuthError.locked(retryAfter: 15)) { try await endpoint.login(user) }
            endpoint.clock.advance(by: 16)
            _ = try await endpoint.login(user)
        }
    }

    @Test("Refresh: rotation, a race, reuse revoking the session, an unknown token", arguments: Mode.allCases)
    func refresh(mode: Mode) async throws {
        try await AuthEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let user = try await endpoint.user()
            let first = try await endpoint.login(user)
            endpoint.clock.advance(by: 1)
            let second = try await api.refresh(refreshToken: first.refreshToken, client: AuthEndpoint.client)
            #expect(second.sessionId == first.sessionId && second.refreshToken != first.refreshToken)
            #expect(try await api.authenticate(accessToken: second.accessToken).sessionID == first.sessionId)
            await #expect(throws: AuthError.refreshRaced) { try await api.refresh(refreshToken: first.refreshToken, client: AuthEndpoint.client) }
            endpoint.clock.advance(by: endpoint.settings.refreshRaceWindow + 1)
            await #expect(throws: AuthError.refreshTokenReused) {
                try await api.refresh(refreshToken: first.refreshToken, client: AuthEndpoint.client)
            }
            await #expect(throws: AuthError.sessionRevoked) { try await api.authenticate(accessToken: second.accessToken) }
            await #expect(throws: AuthError.invalidRefreshToken) {
                try await api.refresh(refreshToken: second.refreshToken, client: AuthEndpoint.client)
            }
            await #expect(throws: AuthError.invalidRefreshToken) { try await api.refresh(refreshToken: "unknown", client: AuthEndpoint.client) }
        }
    }

    @Test("Sessions: list, revoke one, log out, log out everywhere", arguments: Mode.allCases)
    func sessions(mode: Mode) async throws {
        try await AuthEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let user = try await endpoint.user()
            let other = try await endpoint.user()
            let phone = try await endpoint.login(user)
            endpoint.clock.advance(by: 1)
            let laptop = try await endpoint.login(user)
            endpoint.clock.advance(by: 1)
            let tablet = try await endpoint.login(user)
            let listed = try await api.sessions(userID: user.id, currentSessionID: laptop.sessionId)
            #expect(Set(listed.map(\.id)) == [phone.sessionId, laptop.sessionId, tablet.sessionId])
            #expect(listed.filter(\.current).map(\.id) == [laptop.sessionId])
            #expect(listed.allSatisfy { $0.device == AuthEndpoint.client.device && $0.ipAddress == AuthEndpoint.client.ipAddress })

            await #expect(throws: AuthError.notFound) { try await api.revokeSession(userID: other.id, sessionID: phone.sessionId) }
            try await api.revokeSession(userID: user.id, sessionID: phone.sessionId)
            await #expect(throws: AuthError.sessionRevoked) { try await api.authenticate(accessToken: phone.accessToken) }
            await #expect(throws: AuthError.notFound) { try await api.revokeSession(userID: user.id, sessionID: phone.sessionId) }
            try await api.logout(sessionID: tablet.sessionId)
            await #expect(throws: AuthError.sessionRevoked) { try await api.authenticate(accessToken: tablet.accessToken) }
            #expect(try await api.sessions(userID: user.id, currentSessionID: nil).map(\.id) == [laptop.sessionId])
            try await api.logoutEverywhere(userID: user.id)
            await #expect(throws: AuthError.sessionRevoked) { try await api.authenticate(accessToken: laptop.accessToken) }
            #expect(try await api.sessions(userID: user.id, currentSessionID: nil).isEmpty)
        }
    }

    @Test("Passwords: change, request a reset, reset once", arguments: Mode.allCases)
    func passwords(mode: Mode) async throws {
        try await AuthEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let user = try await endpoint.user()
            let kept = try await endpoint.login(user)
            let ended = try await endpoint.login(user)
            let changed = "a much longer passphrase"
            await #expect(throws: AuthError.wrongCurrentPassword) {
                try await api.changePassword(userID: user.id, sessionID: kept.sessionId, currentPassword: "wrong one here", newPassword: changed)
            }
            let short = try await authError {
                try await api.changePassword(userID: user.id, sessionID: kept.sessionId, currentPassword: AuthEndpoint.password, newPassword: "x")
            }
            guard case .invalidField(let field, _) = short else { throw Failure("a short password: \(String(describing: short))") }
            #expect(field == "newPassword")
            await #expect(throws: AuthError.notFound) {
                try await api.changePassword(userID: "missing", sessionID: kept.sessionId, currentPassword: "whatever", newPassword: changed)
            }
            try await api.changePassword(userID: user.id, sessionID: kept.sessionId, currentPassword: AuthEndpoint.password, newPassword: changed)
            _ = try await api.authenticate(accessToken: kept.accessToken)
            await #expect(throws: AuthError.sessionRevoked) { try await api.authenticate(accessToken: ended.accessToken) }
            _ = try await endpoint.login(user, password: changed)

            try await api.requestPasswordReset(email: "nobody@example.com", client: AuthEndpoint.client)
            #expect(try await endpoint.resetTokens().isEmpty)
            try await api.requestPasswordReset(email: user.email, client: AuthEndpoint.client)
            let token = try #require(try await endpoint.resetTokens().first)
            let weak = try await authError { try await api.resetPassword(token: token, newPassword: "x") }
            guard case .invalidField(let weakField, _) = weak else { throw Failure("a short password: \(String(describing: weak))") }
            #expect(weakField == "newPassword")
            let reset = "the third passphrase"
            try await api.resetPassword(token: token, newPassword: reset)
            await #expect(throws: AuthError.invalidResetToken) { try await api.resetPassword(token: token, newPassword: reset) }
            await #expect(throws: AuthError.invalidResetToken) { try await api.resetPassword(token: "unknown", newPassword: reset) }
            await #expect(throws: AuthError.sessionRevoked) { try await api.authenticate(accessToken: kept.accessToken) }
            _ = try await endpoint.login(user, password: reset)
        }
    }

    @Test("JWKS: the same public keys either way", arguments: Mode.allCases)
    func jwks(mode: Mode) async throws {
        try await AuthEndpoint.with(mode) { endpoint in
            #expect(try await endpoint.api.jwks() == endpoint.service.jwks())
            _ = try await endpoint.service.rotateSigningKey()
            let keys = try await endpoint.api.jwks()
            #expect(keys == (try await endpoint.service.jwks()))
            #expect(keys.keys.count == 2)
        }
    }
}

/// A test's own failure, for a `guard` that cannot go on.
struct Failure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}

extension AuthContractTests {
    @Test("A call made for a customer concerns only that customer's own sessions and profile, and creates no user")
    func actingCustomerStaysWithThemselves() async throws {
        try await AuthEndpoint.with(.remote) { endpoint in
            let api = endpoint.api
            let a = try await endpoint.user()
            let b = try await endpoint.user()
            let aPair = try await endpoint.login(a)
            let bPair = try await endpoint.login(b)
            let asA = ActingUser(userID: a.id, role: .customer, sessionID: aPair.sessionId)
            try await RequestMetadata.$actingUser.withValue(asA) { () async throws -> Void in
                #expect(try await api.profile(userID: a.id) == a)
                #expect(try await api.sessions(userID: a.id, currentSessionID: aPair.sessionId).map(\.id) == [aPair.sessionId])
                await #expect(throws: AuthError.notFound) { try await api.profile(userID: b.id) }
                await #expect(throws: AuthError.notFound) { try await api.sessions(userID: b.id, currentSessionID: nil) }
                await #expect(throws: AuthError.notFound) { try await api.revokeSession(userID: b.id, sessionID: bPair.sessionId) }
                await #expect(throws: AuthError.notFound) { try await api.revokeSession(userID: a.id, sessionID: bPair.sessionId) }
                await #expect(throws: AuthError.notFound) { try await api.logout(sessionID: bPair.sessionId) }
                await #expect(throws: AuthError.notFound) { try await api.logoutEverywhere(userID: b.id) }
                await #expect(throws: AuthError.notFound) {
                    try await api.changePassword(
                        userID: b.id, sessionID: bPair.sessionId, currentPassword: AuthEndpoint.password, newPassword: "taken over by a")
                }
                await #expect(throws: AuthError.notFound) {
                    try await api.createUser(email: "new@example.com", password: AuthEndpoint.password, role: .admin, locale: "ru")
                }
            }
            // B is still signed in, with the same password, and no user was created.
            #expect(try await api.authenticate(accessToken: bPair.accessToken).userID == b.id)
            _ = try await endpoint.login(b)
            await #expect(throws: AuthError.invalidCredentials) {
                try await api.login(email: "new@example.com", password: AuthEndpoint.password, client: AuthEndpoint.client)
            }
            let asAdmin = ActingUser(userID: "admin-1", role: .admin, sessionID: "s-admin")
            try await RequestMetadata.$actingUser.withValue(asAdmin) { () async throws -> Void in
                #expect(try await api.profile(userID: b.id) == b)
                _ = try await api.createUser(email: "new@example.com", password: AuthEndpoint.password, role: .customer, locale: "ru")
            }
        }
    }
}
