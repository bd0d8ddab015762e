import Auth
import Foundation
import Storage
import TestSupport
import Testing

/// Session caches of several processes sharing PostgreSQL: each listens for the others' announcements.
@Suite("Session cache across processes on PostgreSQL", .enabled(if: DatabaseKind.postgresURL != nil))
struct SessionInvalidationTests {
    static func session(user: String, at now: Date) -> SessionRecord {
        SessionRecord(
            id: UUID().uuidString.lowercased(), userID: user, device: "d", ipAddress: "192.0.2.1", createdAt: now, lastSeenAt: now,
            expiresAt: now.addingTimeInterval(3600))
    }

    /// Polls `condition` every 20 ms for up to 10 s.
    static func eventually(_ condition: @Sendable () async throws -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Runs `body` with `listeners` running, then stops them.
    static func listening(_ listeners: [SessionInvalidationListener], _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for listener in listeners { group.addTask { try await listener.run() } }
            defer { group.cancelAll() }
            try await body()
        }
    }

    @Test func aRevocationInOneProcessReachesTheOthersCache() async throws {
        try await TestDatabases.with(.postgres, migrations: [StorageMigrations.set, AuthMigrations.set]) { db in
            let postgres = try #require(db as? PostgresDatabase)
            let first = CachingSessionStore(backing: DatabaseSessionStore(database: db), coherence: .invalidations)
            let second = CachingSessionStore(backing: DatabaseSessionStore(database: db), coherence: .invalidations)
            #expect(!first.isLive && !second.isLive)
            let listeners = [first, second].map {
                SessionInvalidationListener(database: postgres, cache: $0, healthCheck: .milliseconds(200), logger: TestDatabases.logger)
            }
            try await Self.listening(listeners) {
                #expect(try await Self.eventually { first.isLive && second.isLive })
                let now = Date(microsecondsSince1970: Date().microsecondsSince1970)
                let user = UUID().uuidString
                let a = Self.session(user: user, at: now)
                let b = Self.session(user: user, at: now)
                for session in [a, b] { try await first.create(session) }
                #expect(try await second.find(id: a.id) == a)
                #expect(try await second.find(id: b.id) == b)

                // A change that is not announced (last use) stays unseen: the second process answers from memory.
                try await db.query("UPDATE sessions SET last_seen_at = $2 WHERE id = $1", a.id, now.addingTimeInterval(60))
                #expect(try await second.find(id: a.id)?.lastSeenAt == now)

                try await first.revoke(id: a.id, at: now)
                #expect(try await Self.eventually { try await second.find(id: a.id)?.isActive(at: now) == false })

                let expiry = now.addingTimeInterval(7200)
                try await first.touch(id: b.id, lastSeenAt: now, expiresAt: expiry)
                #expect(try await Self.eventually { try await second.find(id: b.id)?.expiresAt == expiry })

                try await first.revokeAll(userID: user, except: nil, at: now)
                #expect(try await Self.eventually { try await second.find(id: b.id)?.isActive(at: now) == false })
            }
            #expect(!first.isLive && !second.isLive)
        }
    }

    @Test func aLostFeedTurnsTheCacheOffUntilItIsBack() async throws {
        guard let url = DatabaseKind.postgresURL else { return }
        try await TestDatabases.with(.postgres, migrations: [StorageMigrations.set, AuthMigrations.set]) { db in
            // The listener gets its own pool with a name of its own, so the test can cut exactly its connection.
            let name = "lastmile-test-\(UUID().uuidString.prefix(8))"
            let feed = try PostgresDatabase(url: url, maxConnections: 2, applicationName: name, logger: TestDatabases.logger)
            try await DatabaseFactory.run(feed) { _ in
                let cache = CachingSessionStore(backing: DatabaseSessionStore(database: db), coherence: .invalidations)
                let other = DatabaseSessionStore(database: db)
                let listener = SessionInvalidationListener(
                    database: feed, cache: cache, healthCheck: .milliseconds(200), logger: TestDatabases.logger)
                try await Self.listening([listener]) {
                    #expect(try await Self.eventually { cache.isLive })
                    let now = Date(microsecondsSince1970: Date().microsecondsSince1970)
                    let session = Self.session(user: UUID().uuidString, at: now)
                    try await cache.create(session)
                    #expect(try await cache.find(id: session.id) == session)

                    try await db.query(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", name)
                    #expect(try await Self.eventually { !cache.isLive })
                    // While off, every lookup reads the database, so even an unannounced change shows.
                    try await db.query("UPDATE sessions SET last_seen_at = $2 WHERE id = $1", session.id, now.addingTimeInterval(5))
                    if !cache.isLive { #expect(try await cache.find(id: session.id)?.lastSeenAt == now.addingTimeInterval(5)) }

                    #expect(try await Self.eventually { cache.isLive })
                    #expect(try await cache.find(id: session.id)?.isActive(at: now) == true)
                    try await other.revoke(id: session.id, at: now)
                    #expect(try await Self.eventually { try await cache.find(id: session.id)?.isActive(at: now) == false })
                }
            }
        }
    }
}
