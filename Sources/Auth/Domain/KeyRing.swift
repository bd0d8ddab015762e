import Foundation
import Kernel
import Storage
import Synchronization

/// The signing keys in memory: the newest signs, all live ones verify. Reloaded from the database when a token
/// names a key it does not know (another process rotated), at most once per `reloadInterval`.
final class KeyRing: Sendable {
    private struct State {
        var keys: [SigningKey] = []
        var lastReload = Date.distantPast
    }

    private let database: any Database
    private let state = Mutex(State())
    private let reloadInterval: TimeInterval = 5

    init(database: any Database) { self.database = database }

    var signingKey: SigningKey? { state.withLock { $0.keys.first } }

    var verifyingKeys: [SigningKey] { state.withLock { $0.keys } }

    func key(id: String) -> SigningKey? { state.withLock { $0.keys.first { $0.id == id } } }

    /// Loads the live keys, creating the first key when there is none.
    func load(now: Date) async throws {
        var keys = try await SigningKeyStore.live(at: now, in: database)
        if keys.isEmpty {
            let key = SigningKey.generate()
            try await SigningKeyStore.insert(key, at: now, in: database)
            keys = try await SigningKeyStore.live(at: now, in: database)
        }
        state.withLock {
            $0.keys = keys
            $0.lastReload = now
        }
    }

    /// Reloads if the last load is older than the reload interval; returns whether it did.
    func reloadIfStale(now: Date) async throws -> Bool {
        let stale = state.withLock { now.timeIntervalSince($0.lastReload) >= reloadInterval }
        guard stale else { return false }
        try await load(now: now)
        return true
    }

    /// Makes a new key the signer; the old ones verify until `retireAt`.
    func rotate(now: Date, retireAt: Date) async throws -> SigningKey {
        let key = SigningKey.generate()
        try await database.transaction { tx in
            try await SigningKeyStore.insert(key, at: now, in: tx)
            try await SigningKeyStore.retireOthers(keep: key.id, retireAt: retireAt, in: tx)
        }
        try await load(now: now)
        return key
    }
}
