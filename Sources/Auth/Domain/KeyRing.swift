import Foundation
import JWTKit
import Kernel
import Storage
import Synchronization

/// The signing keys in memory: all live ones verify, and the newest one published for at least the publication
/// delay signs. Reloaded from the database when a token names a key it does not know (another process rotated), at
/// most once per `reloadInterval`, and before signing or publishing when the last load is older than the auth
/// settings' `keyReloadInterval`, so a rotation made elsewhere reaches every auth process.
///
/// A new key is published (in the JWKS) for the publication delay before it signs: by the time a token names it,
/// every process that verifies tokens has it or, having fetched the keys before it existed, is due to fetch again.
final class KeyRing: Sendable {
    private struct State {
        var keys: [SigningKey] = []
        var collection = JWTKeyCollection()
        var lastReload = Date.distantPast
        var lastLoadFailed = false
    }

    /// The last load failed and the next is not due yet: a key not known now may well be one of ours.
    struct Unreadable: Error, CustomStringConvertible {
        var description: String { "the signing keys could not be read" }
    }

    private let database: any Database
    private let state = Mutex(State())
    private let reloadInterval: TimeInterval = 5
    private let publicationDelay: TimeInterval

    init(database: any Database, publicationDelay: TimeInterval) {
        self.database = database
        self.publicationDelay = publicationDelay
    }

    /// The key that signs at `now` and jwt-kit's collection that holds it: the newest published for the publication
    /// delay (the newest of all should none be, which only a clock set back could cause).
    func signer(at now: Date) -> (kid: String, keys: JWTKeyCollection)? {
        state.withLock { state in
            let ready = state.keys.first { $0.createdAt.addingTimeInterval(publicationDelay) <= now } ?? state.keys.first
            return ready.map { ($0.id, state.collection) }
        }
    }

    var verifyingKeys: [SigningKey] { state.withLock { $0.keys } }

    /// jwt-kit's collection of the live keys if one of them is `kid`, else `nil`.
    func verifier(for kid: String) -> JWTKeyCollection? {
        state.withLock { state in state.keys.contains { $0.id == kid } ? state.collection : nil }
    }

    /// Loads the live keys, newest first, creating the first key when there is none (published in the past, so it
    /// signs at once: nobody can hold a token of an installation that had no key).
    func load(now: Date) async throws {
        var keys = try await SigningKeyStore.live(at: now, in: database)
        if keys.isEmpty {
            let key = try SigningKey.generate(createdAt: now.addingTimeInterval(-publicationDelay))
            try await SigningKeyStore.insert(key, in: database)
            keys = try await SigningKeyStore.live(at: now, in: database)
        }
        let collection = JWTKeyCollection(defaultJWTSerializer: AccessTokenCodec.serializer)
        for key in keys { await collection.add(eddsa: key.privateKey, kid: JWKIdentifier(string: key.id)) }
        state.withLock {
            $0.keys = keys
            $0.collection = collection
            $0.lastReload = now
            $0.lastLoadFailed = false
        }
    }

    /// Reloads if the last load is older than the reload interval; returns whether it did. Until the next load is
    /// due after a failed one, throws: an unknown key is then "unavailable", not "invalid" (fail closed, no sign-out).
    func reloadIfStale(now: Date) async throws -> Bool {
        let reloaded = try await reload(ifOlderThan: reloadInterval, now: now)
        if !reloaded, state.withLock({ $0.lastLoadFailed }) { throw Unreadable() }
        return reloaded
    }

    /// Reloads if the last load is older than `interval`; returns whether it did. Marked before the load, so that
    /// requests arriving together make one load, and a failed load is tried again only an interval later.
    func reload(ifOlderThan interval: TimeInterval, now: Date) async throws -> Bool {
        let due = state.withLock { state -> Bool in
            guard now.timeIntervalSince(state.lastReload) >= interval else { return false }
            state.lastReload = now
            return true
        }
        guard due else { return false }
        do {
            try await load(now: now)
        } catch {
            state.withLock { $0.lastLoadFailed = true }
            throw error
        }
        return true
    }

    /// Publishes a new key, which signs once the publication delay has passed; the others verify until `retireAt`.
    func rotate(now: Date, retireAt: Date) async throws -> SigningKey {
        let key = try SigningKey.generate(createdAt: now)
        try await database.transaction { tx in
            try await SigningKeyStore.insert(key, in: tx)
            try await SigningKeyStore.retireOthers(keep: key.id, retireAt: retireAt, in: tx)
        }
        try await load(now: now)
        return key
    }
}
