import Auth
import Foundation
import RESP
import Storage
import TestSupport
import Testing

/// The session stores: the database one (SQLite, PostgreSQL) and Redis when `LASTMILE_TEST_REDIS_URL` is set.
enum SessionStoreKind: String, CaseIterable, Sendable {
    case sqlite, postgres, redis

    static var available: [SessionStoreKind] {
        var kinds: [SessionStoreKind] = [.sqlite]
        if DatabaseKind.postgresURL != nil { kinds.append(.postgres) }
        if redisURL != nil { kinds.append(.redis) }
        return kinds
    }

    static var redisURL: String? {
        ProcessInfo.processInfo.environment["LASTMILE_TEST_REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func with(_ body: @escaping @Sendable (any SessionStore) async throws -> Void) async throws {
        switch self {
        case .sqlite, .postgres:
            try await TestDatabases.with(self == .sqlite ? .sqlite : .postgres, migrations: [StorageMigrations.set, AuthMigrations.set]) {
                try await body(DatabaseSessionStore(database: $0))
            }
        case .redis:
            let connection = try await RESPConnection.connect(configuration: RESPConfiguration(url: Self.redisURL!))
            do {
                try await body(RedisSessionStore(redis: connection, prefix: "test-\(UUID().uuidString):"))
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        }
    }
}

@Suite("Session store contract")
struct SessionStoreContractTests {
    static func session(user: String, at now: Date, hours: Double = 1) -> SessionRecord {
        SessionRecord(
            id: UUID().uuidString.lowercased(), userID: user, device: "Firefox", ipAddress: "192.0.2.4", createdAt: now, lastSeenAt: now,
            expiresAt: now.addingTimeInterval(hours * 3600))
    }

    @Test(arguments: SessionStoreKind.available)
    func lifecycle(kind: SessionStoreKind) async throws {
        try await kind.with { store in
            let now = Date(microsecondsSince1970: Date().microsecondsSince1970)
            let user = UUID().uuidString
            let first = Self.session(user: user, at: now)
            let second = Self.session(user: user, at: now.addingTimeInterval(1))
            let other = Self.session(user: UUID().uuidString, at: now)
            for session in [first, second, other] { try await store.create(session) }

            #expect(try await store.find(id: first.id) == first)
            #expect(try await store.find(id: "no-such-session") == nil)
            #expect(try await store.active(userID: user, at: now).map(\.id) == [second.id, first.id])

            let later = now.addingTimeInterval(30)
            try await store.touch(id: first.id, lastSeenAt: later, expiresAt: later.addingTimeInterval(7200))
            let touched = try #require(try await store.find(id: first.id))
            #expect(touched.lastSeenAt == later && touched.expiresAt == later.addingTimeInterval(7200))

            try await store.revoke(id: second.id, at: later)
            #expect(try await store.find(id: second.id)?.isActive(at: later) == false)
            #expect(try await store.active(userID: user, at: later).map(\.id) == [first.id])

            let third = Self.session(user: user, at: later)
            try await store.create(third)
            let revoked = try await store.revokeAll(userID: user, except: third.id, at: later)
            #expect(revoked == [first.id])
            #expect(try await store.active(userID: user, at: later).map(\.id) == [third.id])
            #expect(try await store.find(id: other.id)?.isActive(at: later) == true)
        }
    }

    @Test(arguments: SessionStoreKind.available)
    func expiredSessionsAreNotActive(kind: SessionStoreKind) async throws {
        try await kind.with { store in
            let now = Date(microsecondsSince1970: Date().microsecondsSince1970)
            let session = Self.session(user: UUID().uuidString, at: now, hours: 0.5)
            try await store.create(session)
            #expect(try await store.find(id: session.id)?.isActive(at: now.addingTimeInterval(1801)) == false)
            #expect(try await store.active(userID: session.userID, at: now.addingTimeInterval(1801)).isEmpty)
        }
    }
}
