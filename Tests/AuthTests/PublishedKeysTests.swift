import Auth
import Contracts
import Foundation
import Kernel
import Synchronization
import TestSupport
import Testing

/// A gateway in another process verifies tokens with auth's published keys: when it cannot fetch them, a valid token
/// is "cannot tell" (503), never "invalid" (401, which signs the user out).
@Suite("Published signing keys")
struct PublishedKeysTests {
    /// Auth's JWKS as a gateway fetches it, with a switch for auth being unreachable.
    final class FlakyAuth: Sendable {
        struct Unreachable: Error {}
        let up = Mutex(false)
        let fetches = Mutex(0)
        let auth: AuthService

        init(auth: AuthService) { self.auth = auth }

        func jwks() async throws -> JWKSet {
            fetches.withLock { $0 += 1 }
            guard up.withLock({ $0 }) else { throw Unreachable() }
            return try await auth.jwks()
        }
    }

    @Test func aFailedFetchAnswersUnavailableUntilAFetchSucceeds() async throws {
        try await AuthHarness.with(.sqlite) { h in
            let user = try await h.user()
            let token = try await h.login(user.email).accessToken
            let remote = FlakyAuth(auth: h.auth)
            let verifier = AccessTokenVerifier.published(
                settings: h.settings, sessions: DatabaseSessionStore(database: h.database), clock: h.clock, logger: TestDatabases.logger,
                fetchKeys: { try await remote.jwks() })

            await #expect(throws: AuthError.unavailable) { try await verifier.authenticate(accessToken: token) }
            // Within the reload interval no new fetch is made, and the token is still "cannot tell", not "invalid".
            await #expect(throws: AuthError.unavailable) { try await verifier.authenticate(accessToken: token) }
            #expect(remote.fetches.withLock { $0 } == 1)

            remote.up.withLock { $0 = true }
            h.clock.advance(by: 5)
            let claims = try await verifier.authenticate(accessToken: token)
            #expect(claims.userID == user.id)
            #expect(remote.fetches.withLock { $0 } == 2)
        }
    }
}
