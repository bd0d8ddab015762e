import Auth
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Password change and reset")
struct PasswordTests {
    @Test(arguments: DatabaseKind.available)
    func changingThePasswordEndsTheOtherSessions(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            let here = try await h.login(user.email)
            let elsewhere = try await h.login(user.email)
            await #expect(throws: AuthError.wrongCurrentPassword) {
                try await h.auth.changePassword(
                    userID: user.id, sessionID: here.sessionId, currentPassword: "not it at all", newPassword: "brand new secret 1")
            }
            try await h.auth.changePassword(
                userID: user.id, sessionID: here.sessionId, currentPassword: AuthHarness.password, newPassword: "brand new secret 1")
            _ = try await h.auth.authenticate(accessToken: here.accessToken)
            await #expect(throws: AuthError.sessionRevoked) { _ = try await h.auth.authenticate(accessToken: elsewhere.accessToken) }
            await #expect(throws: AuthError.invalidCredentials) { _ = try await h.login(user.email) }
            _ = try await h.login(user.email, password: "brand new secret 1")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func resetGoesThroughTheOutboxAndWorksOnce(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            let session = try await h.login(user.email)
            try await h.auth.requestPasswordReset(email: "nobody@example.com", client: AuthHarness.client)
            #expect(try await h.outboxPayloads(PasswordResetRequested.type).isEmpty)
            try await h.auth.requestPasswordReset(email: user.email.uppercased(), client: AuthHarness.client)
            let payload = try #require(try await h.outboxPayloads(PasswordResetRequested.type).first)
            let event = try EventEnvelope(id: "x", type: PasswordResetRequested.type, version: 1, occurredAt: Date(), payload: payload)
                .decode(PasswordResetRequested.self)
            #expect(event.userId == user.id)
            let stored = try await h.database.query("SELECT token_hash FROM password_reset_tokens", []).map { try $0.string("token_hash") }
            #expect(!stored.contains(event.token))

            try await h.auth.resetPassword(token: event.token, newPassword: "after the reset 2")
            await #expect(throws: AuthError.invalidResetToken) {
                try await h.auth.resetPassword(token: event.token, newPassword: "again and again 3")
            }
            await #expect(throws: AuthError.sessionRevoked) { _ = try await h.auth.authenticate(accessToken: session.accessToken) }
            _ = try await h.login(user.email, password: "after the reset 2")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func resetTokensExpire(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            try await h.auth.requestPasswordReset(email: user.email, client: AuthHarness.client)
            let payload = try #require(try await h.outboxPayloads(PasswordResetRequested.type).first)
            let token = try EventEnvelope(id: "x", type: PasswordResetRequested.type, version: 1, occurredAt: Date(), payload: payload)
                .decode(PasswordResetRequested.self).token
            h.clock.advance(by: 31 * 60)
            await #expect(throws: AuthError.invalidResetToken) { try await h.auth.resetPassword(token: token, newPassword: "too late for this 4") }
            _ = try await h.login(user.email)
        }
    }
}
