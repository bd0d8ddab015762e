import Auth
import Clients
import Contracts
import Foundation
import Kernel
import Storage
import Synchronization
import TestSupport

/// An auth service over a fresh SQLite database with a manual clock and a cheap bcrypt cost, reached in one of the
/// two modes. Remotely, `authenticate` runs in the test's process as in a gateway: with auth's published keys,
/// fetched through the client, and the session store both share.
struct AuthEndpoint: Sendable {
    /// What the test calls.
    let api: any AuthAPI
    /// The service itself, for what the API does not offer (rotating keys).
    let service: AuthService
    /// The database the service writes (its outbox holds reset tokens).
    let database: any Database
    /// The sessions, shared by the service and the remote side's verifier.
    let sessions: any SessionStore
    /// The clock of the service and of the remote side's verifier.
    let clock: ManualClock
    /// The service's settings.
    let settings: AuthSettings
    /// The client over the served routes (remote mode only).
    let remote: RemoteService?
    /// How many times the remote side fetched auth's keys.
    let keyFetches: Counter

    static let password = "correct horse battery"
    static let client = ClientInfo(ipAddress: "198.51.100.7", device: "contract test")

    static func with(_ mode: Mode, _ body: @escaping @Sendable (AuthEndpoint) async throws -> Void) async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, AuthMigrations.set]) { database in
            let settings = {
                var settings = AuthSettings()
                settings.bcryptCost = 4
                return settings
            }()
            // Whole seconds: what the service answers and what it reads back agree to the last bit.
            let clock = ManualClock(start: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
            let sessions = DatabaseSessionStore(database: database)
            let service = AuthService(database: database, sessions: sessions, settings: settings, clock: clock, logger: TestDatabases.logger)
            try await service.start()
            let keyFetches = Counter()
            let local = AuthEndpoint(
                api: service, service: service, database: database, sessions: sessions, clock: clock, settings: settings, remote: nil,
                keyFetches: keyFetches)
            switch mode {
            case .local:
                try await body(local)
            case .remote:
                try await ServedEndpoint.serve(service: "auth", routes: { AuthInternalRoutes(auth: service).register(on: $0) }) { remote, _ in
                    let verifier = local.verifier {
                        keyFetches.increment(); return try await AuthClient.publishedKeys(of: remote)
                    }
                    let api = AuthClient(remote: remote, authenticate: { try await verifier.authenticate(accessToken: $0) })
                    try await body(
                        AuthEndpoint(
                            api: api, service: service, database: database, sessions: sessions, clock: clock, settings: settings,
                            remote: remote, keyFetches: keyFetches))
                }
            }
        }
    }

    /// A verifier as a process without auth has one: keys from `fetchKeys`, sessions from the shared store.
    func verifier(fetchKeys: @escaping @Sendable () async throws -> JWKSet) -> AccessTokenVerifier {
        AccessTokenVerifier.published(settings: settings, sessions: sessions, clock: clock, logger: TestDatabases.logger, fetchKeys: fetchKeys)
    }

    /// A new user with ``password``.
    func user(_ role: Role = .customer) async throws -> UserProfile {
        try await api.createUser(email: "u\(UUID().uuidString.prefix(8))@example.com", password: Self.password, role: role, locale: "ru")
    }

    /// Signs `user` in.
    func login(_ user: UserProfile, password: String = AuthEndpoint.password) async throws -> TokenPair {
        try await api.login(email: user.email, password: password, client: Self.client)
    }

    /// The reset tokens the service has sent out, oldest first.
    func resetTokens() async throws -> [String] {
        try await database.query("SELECT payload FROM outbox_events WHERE type = $1 ORDER BY seq", PasswordResetRequested.type).map {
            let event = EventEnvelope(
                id: "reset", type: PasswordResetRequested.type, version: PasswordResetRequested.version, occurredAt: Date(),
                payload: try $0.string("payload"))
            return try event.decode(PasswordResetRequested.self).token
        }
    }
}

/// A count shared between tasks.
final class Counter: Sendable {
    private let value = Atomic(0)

    /// Adds one.
    func increment() { value.add(1, ordering: .relaxed) }

    /// The count now.
    var count: Int { value.load(ordering: .relaxed) }
}

/// The error `body` throws, if it is an ``AuthError``; nil when it throws nothing.
func authError(_ body: () async throws -> Void) async throws -> AuthError? {
    do {
        try await body()
        return nil
    } catch let error as AuthError {
        return error
    }
}
