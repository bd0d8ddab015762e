import Foundation
import Synchronization

/// Keeps sessions in memory in front of another store, so the per-request session check (seed step 10) costs a
/// dictionary lookup. Every change goes through this object first to the backing store, then to the cache.
///
/// Two ways to stay correct:
/// - ``Coherence/soleWriter``: this process is the only writer of sessions (the embedded SQLite mode), so its own
///   changes are all the changes there are.
/// - ``Coherence/invalidations``: other processes change sessions too (several replicas sharing PostgreSQL). They
///   announce every revocation and expiry change, and ``SessionInvalidationListener`` passes the announcements to
///   ``invalidate(ids:)``. The cache is used only while that feed is live: until ``feedConnected()`` and after
///   ``feedLost()`` every lookup reads the backing store, so a missed announcement can never keep a revoked
///   session alive.
public final class CachingSessionStore: SessionStore {
    /// How the cache learns about changes made elsewhere.
    public enum Coherence: Sendable {
        /// No one else writes sessions: the cache is always live.
        case soleWriter
        /// Other processes write sessions and announce them: the cache is live only while the feed is.
        case invalidations
    }

    private struct State {
        var sessions: [String: SessionRecord] = [:]
        var live: Bool
        /// Bumped by every invalidation, so a lookup that raced one does not cache what it read before it.
        var generation: UInt64 = 0
    }

    private let backing: any SessionStore
    private let state: Mutex<State>
    private let capacity: Int

    /// Wraps `backing`, caching up to `capacity` sessions.
    public init(backing: any SessionStore, coherence: Coherence = .soleWriter, capacity: Int = 200_000) {
        self.backing = backing
        self.capacity = capacity
        self.state = Mutex(State(live: coherence == .soleWriter))
    }

    /// Whether lookups are answered from memory now.
    public var isLive: Bool { state.withLock { $0.live } }

    /// Stores the session and caches it.
    public func create(_ session: SessionRecord) async throws {
        let generation = state.withLock { $0.generation }
        try await backing.create(session)
        remember(session, ifStill: generation)
    }

    /// The cached session, or the backing store's.
    public func find(id: String) async throws -> SessionRecord? {
        let (cached, generation) = state.withLock { state in (state.live ? state.sessions[id] : nil, state.generation) }
        if let cached { return cached }
        guard let found = try await backing.find(id: id) else { return nil }
        remember(found, ifStill: generation)
        return found
    }

    /// Records use in both.
    public func touch(id: String, lastSeenAt: Date, expiresAt: Date?) async throws {
        try await backing.touch(id: id, lastSeenAt: lastSeenAt, expiresAt: expiresAt)
        state.withLock { state in
            state.sessions[id]?.lastSeenAt = lastSeenAt
            if let expiresAt { state.sessions[id]?.expiresAt = expiresAt }
        }
    }

    /// Revokes in the backing store, then drops the cached copy.
    public func revoke(id: String, at time: Date) async throws {
        try await backing.revoke(id: id, at: time)
        invalidate(ids: [id])
    }

    /// Revokes in the backing store, then drops every cached copy it names.
    @discardableResult
    public func revokeAll(userID: String, except keep: String?, at time: Date) async throws -> [String] {
        let revoked = try await backing.revokeAll(userID: userID, except: keep, at: time)
        state.withLock { state in
            state.generation &+= 1
            for id in revoked { state.sessions.removeValue(forKey: id) }
            for (id, session) in state.sessions where session.userID == userID && id != keep { state.sessions.removeValue(forKey: id) }
        }
        return revoked
    }

    /// The backing store's list.
    public func active(userID: String, at now: Date) async throws -> [SessionRecord] {
        try await backing.active(userID: userID, at: now)
    }

    /// Drops the cached copies of sessions changed elsewhere; the next lookup of each reads the backing store.
    public func invalidate(ids: some Sequence<String>) {
        state.withLock { state in
            state.generation &+= 1
            for id in ids { state.sessions.removeValue(forKey: id) }
        }
    }

    /// The invalidation feed is listening: whatever is cached was read before it and may be stale, so it goes, and
    /// lookups may be answered from memory from now on.
    public func feedConnected() {
        state.withLock { state in
            state.generation &+= 1
            state.sessions.removeAll()
            state.live = true
        }
    }

    /// The invalidation feed stopped: announcements may be missed, so every lookup reads the backing store until
    /// ``feedConnected()``.
    public func feedLost() {
        state.withLock { state in
            state.generation &+= 1
            state.sessions.removeAll()
            state.live = false
        }
    }

    private func remember(_ session: SessionRecord, ifStill generation: UInt64) {
        state.withLock { state in
            guard state.live, state.generation == generation else { return }
            if state.sessions.count >= capacity { state.sessions.removeAll(keepingCapacity: true) }
            state.sessions[session.id] = session
        }
    }
}
