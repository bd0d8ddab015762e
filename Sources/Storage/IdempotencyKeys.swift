import Foundation
import Kernel

/// Idempotency keys with Stripe's semantics, on SQLite and PostgreSQL.
///
/// The first request with a key runs its operation in one transaction and saves its answer in that same
/// transaction, so a change never commits without its answer and a crash rolls both back. A retry with the same
/// fingerprint gets the saved answer; one with another fingerprint gets
/// ``IdempotencyError/keyReusedWithDifferentRequest``; one while the first is still running gets
/// ``IdempotencyError/keyInProgress``. A saved answer is kept for `retention` seconds, after which the key counts as
/// unused.
///
/// How a running request holds its key differs by engine. On SQLite the key is claimed first in a statement of its
/// own (in progress, with a lock that expires after `lockTimeout`, so a crashed holder's key is taken over). On
/// PostgreSQL the whole request is one transaction holding the key's advisory lock, and the key's row is written
/// only at the end, with the answer: one commit per request, and no lock to expire while it runs. A request that
/// PostgreSQL can do in one statement can also carry the key's check and answer inside that statement
/// (``IdempotentStatement``): one round trip instead of five.
///
/// Call ``perform(_:saveFailure:operation:)`` outside any transaction: on SQLite the claim must commit on its own
/// for concurrent duplicates to see it.
public struct IdempotencyKeys: Sendable {
    let database: any Database
    let clock: any WallClock
    /// How long a claim holds its key before another request may take it over, in seconds.
    public let lockTimeout: TimeInterval
    /// How long a saved answer is replayed, in seconds.
    public let retention: TimeInterval

    /// Creates the store; its table comes with ``StorageMigrations/set``.
    public init(database: any Database, clock: any WallClock, lockTimeout: TimeInterval = 60, retention: TimeInterval = 86_400) {
        self.database = database
        self.clock = clock
        self.lockTimeout = lockTimeout
        self.retention = retention
    }

    /// Runs `operation` once per key and fingerprint, or replays the answer saved by the run that did.
    ///
    /// `operation` runs in one transaction and returns its value with the answer to save; both commit together.
    /// When it throws, its changes roll back and `saveFailure` decides: a result (a domain error such as a 4xx) is
    /// saved and replayed to retries; `nil` (an unexpected error) releases the key so a retry runs again. Either way
    /// the original error is rethrown.
    ///
    /// Throws ``IdempotencyError`` when the key is invalid, reused with another fingerprint, or in progress
    /// (including, on SQLite, when this run held the lock past `lockTimeout` and another request took it over: this
    /// run's changes are then rolled back).
    public func perform<Value: Sendable>(
        _ request: IdempotentRequest,
        saveFailure: @Sendable (any Error) -> SavedResult? = { _ in nil },
        operation: @Sendable (any SQLExecutor) async throws -> (Value, SavedResult)
    ) async throws -> IdempotencyOutcome<Value> {
        try request.validate()
        if database.dialect == .postgres {
            return try await performInOneTransaction(request, saveFailure: saveFailure, operation: operation)
        }
        let token: String
        switch try await acquire(request) {
        case .acquired(let claimed): token = claimed
        case .completed(let saved): return .replayed(saved)
        }
        do {
            let value = try await database.transaction { transaction in
                let (value, saved) = try await operation(transaction)
                guard try await complete(request, token: token, with: saved, in: transaction) else { throw LockLost() }
                return value
            }
            return .executed(value)
        } catch is LockLost {
            throw IdempotencyError.keyInProgress
        } catch {
            // The operation's changes rolled back, so saving its failure (or freeing the key) on its own is safe.
            // Should that fail too, the lock simply expires and a retry runs again.
            if let saved = saveFailure(error) {
                _ = try? await complete(request, token: token, with: saved, in: database)
            } else {
                _ = try? await release(request, token: token)
            }
            throw error
        }
    }

    /// Deletes saved answers that expired at or before `time`, and claims abandoned long ago; returns how many.
    @discardableResult
    public func purgeExpired(before time: Date, batchSize: Int = 1000) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await database.query(
                """
                DELETE FROM idempotency_keys WHERE (scope, idempotency_key) IN (
                    SELECT scope, idempotency_key FROM idempotency_keys
                    WHERE expires_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
                    LIMIT $2
                )
                RETURNING idempotency_key
                """,
                time, batchSize
            ).count
            total += deleted
            if deleted < batchSize { return total }
        }
    }

    enum Acquisition: Sendable, Equatable {
        case acquired(token: String)
        case completed(SavedResult)
    }

    private struct LockLost: Error {}

    /// Claims the key for a new run in a statement of its own, or finds the answer of the run that completed it.
    func acquire(_ request: IdempotentRequest) async throws -> Acquisition {
        let token = UUID().uuidString
        // Each pass either claims, decides, or lost a race to a change it will see on the next pass.
        for _ in 0..<5 {
            let now = clock.now()
            let inserted = try await database.query(
                Self.claimSQL, request.scope, request.key, request.fingerprint, token, now.addingTimeInterval(lockTimeout), now,
                now.addingTimeInterval(retention))
            if !inserted.isEmpty { return .acquired(token: token) }
            guard let row = try await database.first(Self.selectSQL, request.scope, request.key) else {
                continue  // purged since the insert: try again
            }
            switch try decide(row, for: request, at: now) {
            case .replay(let saved): return .completed(saved)
            case .takeOver(let previousToken):
                // Only if the row is still as read: the state is re-checked because on PostgreSQL this may wait for
                // the holder's transaction and then see its completion.
                let taken = try await database.query(
                    Self.takeOverSQL, request.scope, request.key, previousToken, request.fingerprint, token,
                    now.addingTimeInterval(lockTimeout), now, now.addingTimeInterval(retention))
                if !taken.isEmpty { return .acquired(token: token) }
            }
        }
        throw IdempotencyError.keyInProgress
    }

    /// What an existing key row means for a new request with it.
    enum Decision: Equatable {
        /// The key's run completed: answer with what it saved.
        case replay(SavedResult)
        /// The row may be taken over (its lock or its answer expired); it holds `lockToken`.
        case takeOver(lockToken: String)
    }

    /// Decides from a key row (``selectSQL``'s columns); throws when the key is in progress or was used for another
    /// request.
    func decide(_ row: SQLRow, for request: IdempotentRequest, at now: Date) throws -> Decision {
        let lockedUntil = try row.optionalDate("locked_until")
        let completed = lockedUntil == nil
        // A saved answer past its retention counts as gone: the key may start a new request, of any fingerprint.
        let expired = try completed && row.date("expires_at") <= now
        if !expired {
            guard try row.string("fingerprint") == request.fingerprint else { throw IdempotencyError.keyReusedWithDifferentRequest }
            if completed {
                return .replay(SavedResult(status: try row.int("response_status"), body: try row.string("response_body")))
            }
            if let lockedUntil, lockedUntil > now { throw IdempotencyError.keyInProgress }
        }
        return .takeOver(lockToken: try row.string("lock_token"))
    }

    /// Saves the answer of the run holding `token`; `false` when the run no longer holds the key.
    func complete(_ request: IdempotentRequest, token: String, with result: SavedResult, in executor: any SQLExecutor) async throws
        -> Bool
    {
        let now = clock.now()
        return try await !executor.query(
            Self.completeSQL, request.scope, request.key, token, result.status, result.body, now, now.addingTimeInterval(retention)
        ).isEmpty
    }

    /// Frees the key claimed with `token`, so a retry runs.
    private func release(_ request: IdempotentRequest, token: String) async throws {
        try await database.query(
            "DELETE FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2 AND lock_token = $3 AND locked_until IS NOT NULL",
            request.scope, request.key, token)
    }
}
