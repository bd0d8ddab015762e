import Foundation
import Synchronization

/// Keeps sessions in memory in front of another store, so the per-request session check (seed step 10) costs a
/// dictionary lookup. Every change goes through this object first to the backing store, then to the cache.
///
/// Only correct when this process is the only writer of sessions — the embedded SQLite mode. Several processes
/// sharing PostgreSQL must read the backing store on every request so a revocation anywhere applies everywhere.
public final class CachingSessionStore: SessionStore {
    private let backing: any SessionStore
    private let cache = Mutex<[String: SessionRecord]>([:])
    private let capacity: Int

    /// Wraps `backing`, caching up to `capacity` sessions.
    public init(backing: any SessionStore, capacity: Int = 200_000) {
        self.backing = backing
        self.capacity = capacity
    }

    /// Stores the session and caches it.
    public func create(_ session: SessionRecord) async throws {
        try await backing.create(session)
        remember(session)
    }

    /// The cached session, or the backing store's.
    public func find(id: String) async throws -> SessionRecord? {
        if let cached = cache.withLock({ $0[id] }) { return cached }
        guard let found = try await backing.find(id: id) else { return nil }
        remember(found)
        return found
    }

    /// Records use in both.
    public func touch(id: String, lastSeenAt: Date, expiresAt: Date?) async throws {
        try await backing.touch(id: id, lastSeenAt: lastSeenAt, expiresAt: expiresAt)
        cache.withLock { cache in
            cache[id]?.lastSeenAt = lastSeenAt
            if let expiresAt { cache[id]?.expiresAt = expiresAt }
        }
    }

    /// Revokes in the backing store, then drops the cached copy.
    public func revoke(id: String, at time: Date) async throws {
        try await backing.revoke(id: id, at: time)
        cache.withLock { _ = $0.removeValue(forKey: id) }
    }

    /// Revokes in the backing store, then drops every cached copy it names.
    @discardableResult
    public func revokeAll(userID: String, except keep: String?, at time: Date) async throws -> [String] {
        let revoked = try await backing.revokeAll(userID: userID, except: keep, at: time)
        cache.withLock { cache in
            for id in revoked { cache.removeValue(forKey: id) }
            for (id, session) in cache where session.userID == userID && id != keep { cache.removeValue(forKey: id) }
        }
        return revoked
    }

    /// The backing store's list.
    public func active(userID: String, at now: Date) async throws -> [SessionRecord] {
        try await backing.active(userID: userID, at: now)
    }

    private func remember(_ session: SessionRecord) {
        cache.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[session.id] = session
        }
    }
}
