import Foundation
import JWTKit
import Kernel
import Storage
import Synchronization

/// The signing keys in memory: the newest signs, all live ones verify. Reloaded from the database when a token
/// names a key it does not know (another process rotated), at most once per `reloadInterval`.
final class KeyRing: Sendable {
    private struct State {
        var keys: [SigningKey] = []
        var collection = JWTKeyCollection()
        var lastReload = Date.distantPast
    }

    private let database: any Database
    private let state = Mutex(State())
    private let reloadInterval: TimeInterval = 5

    init(database: any Database) { self.database = database }

    /// The newest key's id and jwt-kit's collection that holds it, to sign with.
    var signer: (kid: String, keys: JWTKeyCollection)? {
        state.withLock { state in state.keys.first.map { ($0.id, state.collection) } }
    }

    var verifyingKeys: [SigningKey] { state.withLock { $0.keys } }

    /// jwt-kit's collection of the live keys if one of them is `kid`, else `nil`.
    func verifier(for kid: String) -> JWTKeyCollection? {
        state.withLock { state in state.keys.contains { $0.id == kid } ? state.collection : nil }
    }

    /// Loads the live keys, creating the first key when there is none.
    func load(now: Date) async throws {
        var keys = try await SigningKeyStore.live(at: now, in: database)
        if keys.isEmpty {
            let key = try SigningKey.generate()
            try await SigningKeyStore.insert(key, at: now, in: database)
            keys = try await SigningKeyStore.live(at: now, in: database)
        }
        let collection = JWTKeyCollection(defaultJWTSerializer: AccessTokenCodec.serializer)
        for key in keys { await collection.add(eddsa: key.privateKey, kid: JWKIdentifier(string: key.id)) }
        state.withLock {
            $0.keys = keys
            $0.collection = collection
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
        let key = try SigningKey.generate()
        try await database.transaction { tx in
            try await SigningKeyStore.insert(key, at: now, in: tx)
            try await SigningKeyStore.retireOthers(keep: key.id, retireAt: retireAt, in: tx)
        }
        try await load(now: now)
        return key
    }
}
