import Auth
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Login, users and lock-out")
struct LoginTests {
    @Test(arguments: DatabaseKind.available)
    func loginIssuesTokensThatAuthenticate(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user(.billingManager)
            let pair = try await h.login(user.email.uppercased())
            #expect(pair.expiresIn == 900)
            #expect(pair.refreshExpiresIn == 30 * 24 * 3600)
            #expect(Base64URL.decode(Substring(pair.refreshToken))?.count == 32)
            let claims = try await h.auth.authenticate(accessToken: pair.accessToken)
            #expect(claims.userID == user.id)
            #expect(claims.role == .billingManager)
            #expect(claims.sessionID == pair.sessionId)
            let stored = try await h.database.query("SELECT token_hash FROM refresh_tokens", []).map { try $0.string("token_hash") }
            #expect(!stored.contains(pair.refreshToken), "refresh tokens are stored only as hashes")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func unknownEmailAndWrongPasswordGetTheSameAnswer(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            var errors: [AuthError] = []
            for email in [user.email, "nobody@example.com"] {
                do {
                    _ = try await h.login(email, password: "wrong password!")
                } catch let error as AuthError {
                    errors.append(error)
                }
            }
            #expect(errors == [.invalidCredentials, .invalidCredentials])
            let subjects = try await h.database.query("SELECT subject, failures FROM login_attempts ORDER BY subject", [])
            #expect(subjects.count == 3, "both e-mails and the address are counted alike")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func emailsAreUniqueRegardlessOfCase(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            _ = try await h.user(email: "Ivan.Petrov@Example.com")
            await #expect(throws: AuthError.emailTaken) { _ = try await h.user(email: "ivan.petrov@example.COM") }
            #expect(try await h.outboxTypes() == [UserRegistered.type])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func weakPasswordsAndBadEmailsNameTheirField(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            await #expect(throws: AuthError.invalidField(field: "password", reason: "must be at least 10 characters")) {
                _ = try await h.auth.createUser(email: "a@example.com", password: "short", role: .customer, locale: "ru")
            }
            await #expect(throws: AuthError.invalidField(field: "email", reason: "is not a valid e-mail address")) {
                _ = try await h.auth.createUser(email: "not-an-email", password: AuthHarness.password, role: .customer, locale: "ru")
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func accountLockGrowsFromAMinuteToFifteen(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            var expectedLocks: [Int] = []
            for round in 0..<6 {
                for _ in 0..<5 {
                    await #expect(throws: AuthError.invalidCredentials) {
                        _ = try await h.login(user.email, password: "wrong password!", ip: "203.0.113.\(round)")
                    }
                }
                do {
                    _ = try await h.login(user.email)
                    Issue.record("a locked account logged in")
                } catch AuthError.locked(let retryAfter) {
                    expectedLocks.append(retryAfter)
                }
                h.clock.advance(by: 901)
            }
            #expect(expectedLocks == [60, 120, 240, 480, 900, 900])
            _ = try await h.login(user.email)
            #expect(try await h.outboxTypes().filter { $0 == LoginLocked.type }.count == 6)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func lockedAccountAnswersTheSameForUnknownEmails(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            for email in ["ghost@example.com", try await h.user().email] {
                for _ in 0..<5 { _ = try? await h.login(email, password: "wrong password!", ip: UUID().uuidString) }
                await #expect { _ = try await h.login(email, ip: UUID().uuidString) } throws: { isAuthError($0, .locked(retryAfter: 0)) }
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func oneAddressTryingManyAccountsIsStopped(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let victim = try await h.user()
            for n in 0..<20 { _ = try? await h.login("user\(n)@example.com", password: "wrong password!", ip: "192.0.2.66") }
            await #expect { _ = try await h.login(victim.email, ip: "192.0.2.66") } throws: { isAuthError($0, .locked(retryAfter: 0)) }
            _ = try await h.login(victim.email, ip: "192.0.2.67")
            let payloads = try await h.outboxPayloads(LoginLocked.type)
            #expect(payloads.contains { $0.contains("\"scope\":\"ip\"") && $0.contains("192.0.2.66") })
        }
    }

    @Test(arguments: DatabaseKind.available)
    func failuresOutsideTheWindowDoNotAddUp(kind: DatabaseKind) async throws {
        try await AuthHarness.with(kind) { h in
            let user = try await h.user()
            for _ in 0..<4 { _ = try? await h.login(user.email, password: "wrong password!", ip: UUID().uuidString) }
            h.clock.advance(by: 16 * 60)
            for _ in 0..<4 { _ = try? await h.login(user.email, password: "wrong password!", ip: UUID().uuidString) }
            _ = try await h.login(user.email)
        }
    }
}
