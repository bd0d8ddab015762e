import Foundation
import Kernel

/// Idempotency keys with Stripe's semantics, on SQLite and PostgreSQL.
///
/// A request with a key is one transaction: it holds the key, runs the operation, and writes the key's row once,
/// completed with the answer. A change never commits without its answer, a crash rolls both back, and nobody ever
/// sees a key half done. A retry with the same fingerprint gets the saved answer; one with another fingerprint gets
/// ``IdempotencyError/keyReusedWithDifferentRequest``; one while the first still runs gets
/// ``IdempotencyError/keyInProgress``. A saved answer is kept for `retention` seconds, after which the key counts as
/// unused.
///
/// On PostgreSQL the transaction holds the key with a transaction-scoped advisory lock taken without waiting, so a
/// concurrent duplicate is told at once; on SQLite the single writer runs one transaction at a time, so a duplicate
/// waits for the first and gets its answer. When the operation throws, its changes roll back and `saveFailure`
/// decides: a result (a domain error such as a 4xx) is saved by a second, short transaction and replayed to retries
/// (a duplicate that ran in between is replayed instead); `nil` (an unexpected error) leaves the key unused. Either
/// way the original error is rethrown. (A savepoint would keep the failure in the first transaction, but makes every
/// write of every request a subtransaction's.)
///
/// An operation that PostgreSQL can do in one statement may come with it (``IdempotentStatement``): Storage wraps
/// the statement with the key's check and answer, for one round trip and one commit, and runs the transaction
/// whenever the statement cannot settle the request alone.
public struct IdempotencyKeys: Sendable {
    let database: any Database
    let clock: any WallClock
    /// How long a saved answer is replayed, in seconds.
    public let retention: TimeInterval

    /// Creates the store; its table comes with ``StorageMigrations/set``.
    public init(database: any Database, clock: any WallClock, retention: TimeInterval = 86_400) {
        self.database = database
        self.clock = clock
        self.retention = retention
    }

    /// Runs `operation` once per key and fingerprint, or replays the answer saved by the run that did.
    ///
    /// `operation` runs in one transaction and returns its value with the answer to save; both commit together.
    /// Throws ``IdempotencyError`` when the key is invalid, reused with another fingerprint, or in progress.
    public func perform<Value: Sendable>(
        _ request: IdempotentRequest,
        saveFailure: @Sendable (any Error) -> SavedResult? = { _ in nil },
        operation: @Sendable (any SQLExecutor) async throws -> (Value, SavedResult)
    ) async throws -> IdempotencyOutcome<Value> {
        try request.validate()
        // Should a row for the key appear after `claim` looked anyway, our answer collides with it at the end; this
        // run rolls back and the next pass replays that answer.
        for _ in 0..<3 {
            do {
                return try await inRequestTransaction { transaction in
                    let now = clock.now()
                    if let saved = try await claim(request, at: now, in: transaction) { return .replayed(saved) }
                    do {
                        let (value, saved) = try await operation(transaction)
                        guard try await save(request, saved, startedAt: now, in: transaction) else { throw KeyCollision() }
                        return .executed(value)
                    } catch let error as KeyCollision {
                        throw error
                    } catch {
                        guard let saved = saveFailure(error) else { throw error }
                        throw FailureToSave(error: error, saved: saved, startedAt: now)
                    }
                }
            } catch let failure as FailureToSave {
                do {
                    return try await saveAfterRollback(request, failure)
                } catch is KeyCollision {
                    continue
                }
            } catch is KeyCollision {
                continue
            }
        }
        throw IdempotencyError.keyInProgress
    }

    /// Deletes saved answers that expired at or before `time`; returns how many.
    @discardableResult
    public func purgeExpired(before time: Date, batchSize: Int = 1000) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await database.query(
                """
                DELETE FROM idempotency_keys WHERE (scope, idempotency_key) IN (
                    SELECT scope, idempotency_key FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2
                )
                RETURNING idempotency_key
                """,
                time, batchSize
            ).count
            total += deleted
            if deleted < batchSize { return total }
        }
    }

    private func inRequestTransaction<Result: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> Result) async throws
        -> Result
    {
        guard let postgres = database as? PostgresDatabase else { return try await database.transaction(body) }
        // A request-sized transaction: it runs on its connection's event loop (see PostgresDatabase).
        return try await postgres.transaction(onConnectionEventLoop: true, body)
    }

    /// Holds the key for this transaction and reads it: the saved answer to replay, or `nil` when the operation may
    /// run (an expired answer is deleted). Throws when another run holds the key or its answer is another request's.
    private func claim(_ request: IdempotentRequest, at now: Date, in transaction: any SQLExecutor) async throws -> SavedResult? {
        let sql = transaction.dialect == .postgres ? Self.lockAndReadSQL : Self.readSQL
        guard var row = try await transaction.query(sql, request.scope, request.key).first, try row.bool("held") else {
            throw IdempotencyError.keyInProgress
        }
        if transaction.dialect == .postgres, try row.optionalString("fingerprint") == nil {
            // The statement's snapshot predates its lock: a run that committed in between released the lock to us
            // with its row out of sight. Read again under the lock, so the operation never runs a second time.
            guard let again = try await transaction.query(Self.readSQL, request.scope, request.key).first else {
                throw IdempotencyError.keyInProgress
            }
            row = again
        }
        guard let fingerprint = try row.optionalString("fingerprint") else { return nil }
        if try row.date("expires_at") <= now {
            try await transaction.query(Self.deleteSQL, request.scope, request.key)
            return nil
        }
        guard fingerprint == request.fingerprint else { throw IdempotencyError.keyReusedWithDifferentRequest }
        return SavedResult(status: try row.int("response_status"), body: try row.string("response_body"))
    }

    /// Saves a kept failure after its transaction rolled back, unless a duplicate that ran in between saved its
    /// answer (replayed instead) or still runs (``IdempotencyError/keyInProgress``), as if the two had arrived
    /// together. Rethrows the failure once it is saved.
    private func saveAfterRollback<Value: Sendable>(_ request: IdempotentRequest, _ failure: FailureToSave) async throws
        -> IdempotencyOutcome<Value>
    {
        let duplicate: SavedResult? = try await database.transaction { transaction in
            if let saved = try await claim(request, at: clock.now(), in: transaction) { return saved }
            guard try await save(request, failure.saved, startedAt: failure.startedAt, in: transaction) else { throw KeyCollision() }
            return nil
        }
        guard let duplicate else { throw failure.error }
        return .replayed(duplicate)
    }

    /// Writes the key with its answer; `false` when a row for it appeared since this transaction's snapshot.
    private func save(_ request: IdempotentRequest, _ result: SavedResult, startedAt: Date, in executor: any SQLExecutor) async throws -> Bool {
        let now = clock.now()
        return try await !executor.query(
            Self.saveSQL, request.scope, request.key, request.fingerprint, UUID().uuidString, result.status, result.body, startedAt, now,
            now.addingTimeInterval(retention)
        ).isEmpty
    }

    /// The key's row, if any (`NULL` columns without one), and whether this transaction holds the key (`held`):
    /// `$1` scope, `$2` key. On PostgreSQL it takes the key's advisory lock without waiting; every run holds it
    /// until it commits, so a row seen under the lock belongs to a run that finished.
    private static func keySQL(held: String) -> PreparedSQL {
        PreparedSQL(
            """
            SELECT \(held) AS held, k.fingerprint, k.response_status, k.response_body, k.expires_at
            FROM (SELECT 1 AS one) one LEFT JOIN idempotency_keys k ON k.scope = $1 AND k.idempotency_key = $2
            """)
    }

    private static let lockAndReadSQL = keySQL(held: "pg_try_advisory_xact_lock(hashtextextended($1 || chr(31) || $2, 0))")
    private static let readSQL = keySQL(held: "1")
    private static let deleteSQL = "DELETE FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2"

    /// Writes a key completed with its answer, unless a row exists: `$1` scope, `$2` key, `$3` fingerprint, `$4` a
    /// token (the column predates this algorithm), `$5` status, `$6` body, `$7` created at, `$8` completed at, `$9`
    /// expires at.
    private static let saveSQL = PreparedSQL(
        """
        INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, lock_token, locked_until, response_status, response_body,
            created_at, completed_at, expires_at)
        VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8, $9)
        ON CONFLICT DO NOTHING RETURNING lock_token
        """)
}

/// The key was written by another run after this one's snapshot: roll back and look again.
private struct KeyCollision: Error {}

/// A failure `saveFailure` keeps, carried out of the transaction it rolls back.
private struct FailureToSave: Error {
    let error: any Error
    let saved: SavedResult
    let startedAt: Date
}
