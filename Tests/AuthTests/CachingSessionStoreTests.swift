import Auth
import Foundation
import Storage
import TestSupport
import Testing

@Suite("Session cache of the embedded mode")
struct CachingSessionStoreTests {
    static func session(user: String, at now: Date) -> SessionRecord {
        SessionRecord(
            id: UUID().uuidString, userID: user, device: "d", ipAddress: "192.0.2.1", createdAt: now, lastSeenAt: now,
            expiresAt: now.addingTimeInterval(3600))
    }

    @Test func changesAreSeenAtOnceThroughTheCache() async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, AuthMigrations.set]) { db in
            let backing = DatabaseSessionStore(database: db)
            let store = CachingSessionStore(backing: backing)
            let now = Date()
            let a = Self.session(user: "u1", at: now)
            let b = Self.session(user: "u1", at: now)
            let c = Self.session(user: "u2", at: now)
            for session in [a, b, c] { try await store.create(session) }
            #expect(try await store.find(id: a.id)?.isActive(at: now) == true)

            try await store.revoke(id: a.id, at: now)
            #expect(try await store.find(id: a.id)?.isActive(at: now) == false)
            #expect(try await backing.find(id: a.id)?.isActive(at: now) == false)

            try await store.touch(id: b.id, lastSeenAt: now.addingTimeInterval(5), expiresAt: now.addingTimeInterval(10))
            #expect(try await store.find(id: b.id)?.expiresAt == now.addingTimeInterval(10))
            #expect(try await store.find(id: b.id)?.isActive(at: now.addingTimeInterval(11)) == false)

            try await store.revokeAll(userID: "u1", except: nil, at: now)
            #expect(try await store.find(id: b.id)?.isActive(at: now) == false)
            #expect(try await store.find(id: c.id)?.isActive(at: now) == true)
        }
    }

    @Test func aCacheMissReadsTheBackingStore() async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, AuthMigrations.set]) { db in
            let backing = DatabaseSessionStore(database: db)
            let now = Date()
            let session = Self.session(user: "u3", at: now)
            try await backing.create(session)
            let store = CachingSessionStore(backing: backing, capacity: 1)
            #expect(try await store.find(id: session.id)?.id == session.id)
            #expect(try await store.find(id: "missing") == nil)
        }
    }

    @Test func withInvalidationsTheCacheIsUsedOnlyWhileTheFeedIsLive() async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, AuthMigrations.set]) { db in
            let backing = DatabaseSessionStore(database: db)
            let store = CachingSessionStore(backing: backing, coherence: .invalidations)
            let now = Date(microsecondsSince1970: Date().microsecondsSince1970)
            let session = Self.session(user: "u4", at: now)
            try await store.create(session)
            #expect(!store.isLive)

            // Before the feed: every lookup reads the backing store.
            try await backing.touch(id: session.id, lastSeenAt: now.addingTimeInterval(1), expiresAt: nil)
            #expect(try await store.find(id: session.id)?.lastSeenAt == now.addingTimeInterval(1))

            // Live: answers come from memory, until the id is invalidated.
            store.feedConnected()
            #expect(store.isLive)
            #expect(try await store.find(id: session.id)?.lastSeenAt == now.addingTimeInterval(1))
            try await backing.revoke(id: session.id, at: now)
            #expect(try await store.find(id: session.id)?.isActive(at: now) == true)
            store.invalidate(ids: [session.id])
            #expect(try await store.find(id: session.id)?.isActive(at: now) == false)

            // Feed lost: back to the backing store for every lookup, and nothing new is cached.
            let other = Self.session(user: "u4", at: now)
            try await store.create(other)
            store.feedLost()
            #expect(!store.isLive)
            try await backing.revoke(id: other.id, at: now)
            #expect(try await store.find(id: other.id)?.isActive(at: now) == false)
        }
    }
}
