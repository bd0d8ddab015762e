import Auth
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport

/// An auth service over a fresh database, with a manual clock and a cheap bcrypt cost.
struct AuthHarness: Sendable {
    let database: any Database
    let clock: ManualClock
    let auth: AuthService
    let settings: AuthSettings

    static let client = ClientInfo(ipAddress: "198.51.100.7", device: "test")
    static let password = "correct horse battery"

    static func with(
        _ kind: DatabaseKind, configure: @escaping @Sendable (inout AuthSettings) -> Void = { _ in },
        _ body: @escaping @Sendable (AuthHarness) async throws -> Void
    )
        async throws
    {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, AuthMigrations.set]) { database in
            var settings = AuthSettings()
            settings.bcryptCost = 4
            configure(&settings)
            let clock = ManualClock(start: Date())
            let auth = AuthService(
                database: database, sessions: DatabaseSessionStore(database: database), settings: settings, clock: clock,
                logger: TestDatabases.logger)
            try await auth.start()
            try await body(AuthHarness(database: database, clock: clock, auth: auth, settings: settings))
        }
    }

    func user(_ role: Role = .customer, email: String? = nil) async throws -> UserProfile {
        try await auth.createUser(email: email ?? "u\(UUID().uuidString.prefix(8))@example.com", password: Self.password, role: role, locale: "ru")
    }

    func login(_ email: String, password: String = AuthHarness.password, ip: String = AuthHarness.client.ipAddress) async throws -> TokenPair {
        try await auth.login(email: email, password: password, client: ClientInfo(ipAddress: ip, device: "test"))
    }

    func outboxTypes() async throws -> [String] {
        try await database.query("SELECT type FROM outbox_events ORDER BY seq", []).map { try $0.string("type") }
    }

    func outboxPayloads(_ type: String) async throws -> [String] {
        try await database.query("SELECT payload FROM outbox_events WHERE type = $1 ORDER BY seq", type).map { try $0.string("payload") }
    }
}

/// Whether `error` is the auth error `expected` (ignoring associated values for `locked` and `invalidToken`).
func isAuthError(_ error: any Error, _ expected: AuthError) -> Bool {
    guard let error = error as? AuthError else { return false }
    switch (error, expected) {
    case (.locked, .locked), (.invalidToken, .invalidToken): return true
    default: return error == expected
    }
}
