import Auth
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Sessions and refresh-token rotation")
struct SessionTests {
    @Test(arguments: DatabaseKind.available)
    func refreshRotatesTheToken(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            let first = try await h.login(user.email)
            h.clock.advance(by: 60)
            let second = try await h.auth.refresh(refreshToken: first.refreshToken, client: AuthHarness.client)
            #expect(second.refreshToken != first.refreshToken)
            #expect(second.sessionId == first.sessionId)
            #expect(try await h.auth.authenticate(accessToken: second.accessToken).sessionID == first.sessionId)
            h.clock.advance(by: 60)
            let third = try await h.auth.refresh(refreshToken: second.refreshToken, client: AuthHarness.client)
            #expect(third.sessionId == first.sessionId)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aDoubleRefreshWithinTheRaceWindowIsAConflictAndRevokesNothing(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let pair = try await h.login(try await h.user().email)
            let next = try await h.auth.refresh(refreshToken: pair.refreshToken, client: AuthHarness.client)
            h.clock.advance(by: 3)
            await #expect(throws: AuthError.refreshRaced) {
                _ = try await h.auth.refresh(refreshToken: pair.refreshToken, client: AuthHarness.client)
            }
            _ = try await h.auth.authenticate(accessToken: next.accessToken)
            _ = try await h.auth.refresh(refreshToken: next.refreshToken, client: AuthHarness.client)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func concurrentRefreshesWithOneTokenRotateItOnce(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let pair = try await h.login(try await h.user().email)
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await h.auth.refresh(refreshToken: pair.refreshToken, client: AuthHarness.client)
                            return "rotated"
                        } catch AuthError.refreshRaced {
                            return "raced"
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "rotated" }.count == 1)
            #expect(outcomes.filter { $0 == "raced" }.count == 7)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func reuseAfterTheWindowRevokesTheFamilyAndTheSession(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let pair = try await h.login(try await h.user().email)
            let legitimate = try await h.auth.refresh(refreshToken: pair.refreshToken, client: AuthHarness.client)
            h.clock.advance(by: 60)
            await #expect(throws: AuthError.refreshTokenReused) {
                _ = try await h.auth.refresh(refreshToken: pair.refreshToken, client: ClientInfo(ipAddress: "203.0.113.9", device: "thief"))
            }
            await #expect(throws: AuthError.sessionRevoked) { _ = try await h.auth.authenticate(accessToken: legitimate.accessToken) }
            await #expect(throws: AuthError.invalidRefreshToken) {
                _ = try await h.auth.refresh(refreshToken: legitimate.refreshToken, client: AuthHarness.client)
            }
            #expect(try await h.outboxTypes().contains(RefreshTokenReuseDetected.type))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func unknownAndExpiredRefreshTokensAreRefused(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            await #expect(throws: AuthError.invalidRefreshToken) {
                _ = try await h.auth.refresh(refreshToken: SecureRandom.token(), client: AuthHarness.client)
            }
            let pair = try await h.login(try await h.user().email)
            h.clock.advance(by: h.settings.refreshTokenTTL + 1)
            await #expect(throws: AuthError.invalidRefreshToken) {
                _ = try await h.auth.refresh(refreshToken: pair.refreshToken, client: AuthHarness.client)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func logoutTakesEffectOnTheNextRequest(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let pair = try await h.login(try await h.user().email)
            _ = try await h.auth.authenticate(accessToken: pair.accessToken)
            try await h.auth.logout(sessionID: pair.sessionId)
            await #expect(throws: AuthError.sessionRevoked) { _ = try await h.auth.authenticate(accessToken: pair.accessToken) }
            await #expect(throws: AuthError.invalidRefreshToken) {
                _ = try await h.auth.refresh(refreshToken: pair.refreshToken, client: AuthHarness.client)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func logoutEverywhereEndsEverySession(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            let phone = try await h.login(user.email)
            let laptop = try await h.login(user.email)
            let bystander = try await h.login(try await h.user().email)
            #expect(try await h.auth.sessions(userID: user.id, currentSessionID: phone.sessionId).count == 2)
            try await h.auth.logoutEverywhere(userID: user.id)
            for pair in [phone, laptop] {
                await #expect(throws: AuthError.sessionRevoked) { _ = try await h.auth.authenticate(accessToken: pair.accessToken) }
            }
            _ = try await h.auth.authenticate(accessToken: bystander.accessToken)
            #expect(try await h.auth.sessions(userID: user.id, currentSessionID: nil).isEmpty)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aUserCannotRevokeAnotherUsersSession(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let alice = try await h.user()
            let bob = try await h.user()
            let bobSession = try await h.login(bob.email)
            await #expect(throws: AuthError.notFound) { try await h.auth.revokeSession(userID: alice.id, sessionID: bobSession.sessionId) }
            _ = try await h.auth.authenticate(accessToken: bobSession.accessToken)
            let listed = try await h.auth.sessions(userID: bob.id, currentSessionID: bobSession.sessionId)
            #expect(listed.map(\.current) == [true])
            #expect(listed.first?.ipAddress == AuthHarness.client.ipAddress)
            try await h.auth.revokeSession(userID: bob.id, sessionID: bobSession.sessionId)
            await #expect(throws: AuthError.sessionRevoked) { _ = try await h.auth.authenticate(accessToken: bobSession.accessToken) }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func accessTokensExpireAfterFifteenMinutesAndTheLeeway(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let pair = try await h.login(try await h.user().email)
            h.clock.advance(by: 900 + 29)
            _ = try await h.auth.authenticate(accessToken: pair.accessToken)
            h.clock.advance(by: 2)
            await #expect { _ = try await h.auth.authenticate(accessToken: pair.accessToken) } throws: {
                isAuthError($0, .invalidToken(reason: ""))
            }
        }
    }
}
