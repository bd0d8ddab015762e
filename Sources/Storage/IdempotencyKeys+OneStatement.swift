import Foundation
import Kernel

/// An idempotent operation that PostgreSQL can run as one statement, with its key's check and answer inside it:
/// one round trip and one implicit commit instead of a transaction's five.
///
/// The statement's text puts ``IdempotencyKeys/claimCTE(parameter:)`` first among its `WITH` queries, guards every
/// write with ``IdempotencyKeys/claimed``, saves its answer with ``IdempotencyKeys/saveCTE(parameter:body:from:)``
/// from the rows that show it ran, and reads from ``IdempotencyKeys/claimRelation`` so it always answers one row
/// holding ``IdempotencyKeys/claimColumns``. The key's parameters come after the operation's own.
///
/// The statement must write nothing unless it also saves its answer. When it ran, `answer` reads the value from
/// its row; when it refused, `answer` throws the refusal (kept or not by `saveFailure`, as in a transaction), or
/// gives `nil` when only a transaction can tell why. A statement that lost a race it cannot settle alone raises a
/// serialization failure (`lastmile_conflict`). In those cases, and when the key already has a row, the request
/// runs again as an ordinary transaction.
public struct IdempotentStatement<Value: Sendable>: Sendable {
    /// The statement.
    public var sql: PreparedSQL
    /// The operation's own binds; the key's follow them.
    public var binds: [SQLValue]
    /// Reads the value from the answer row, throws why the statement refused, or gives `nil` when it wrote nothing
    /// and the request needs a transaction to decide.
    public var answer: @Sendable (SQLRow) throws -> Value?

    /// Describes the statement.
    public init(sql: PreparedSQL, binds: [SQLValue], answer: @escaping @Sendable (SQLRow) throws -> Value?) {
        self.sql = sql
        self.binds = binds
        self.answer = answer
    }
}

extension IdempotencyKeys {
    /// The `WITH` query `idempotency_claim`: takes the key's transaction lock without waiting (`held`) and reads the
    /// key's `fingerprint` (`NULL` when it has no row). The key's seven parameters start at `$parameter`: scope,
    /// key, fingerprint, lock token, the time, the answer's expiry and its status.
    public static func claimCTE(parameter first: Int) -> String {
        """
        idempotency_claim AS (
            SELECT lock.held, k.fingerprint
            FROM (SELECT pg_try_advisory_xact_lock(hashtextextended($\(first) || chr(31) || $\(first + 1), 0)) AS held) lock
            LEFT JOIN idempotency_keys k ON k.scope = $\(first) AND k.idempotency_key = $\(first + 1)
        )
        """
    }

    /// The condition every write of an idempotent statement carries: the lock is held and the key unused.
    public static let claimed = "EXISTS (SELECT 1 FROM idempotency_claim WHERE held AND fingerprint IS NULL)"

    /// The `WITH` query `idempotency_saved`: writes the key completed, with `body` (an SQL text expression over
    /// `relation`) as its answer, for each row of `relation` (a `FROM` list: the operation's proof that it ran,
    /// one row). A row written for the key since the statement's snapshot makes the statement fail whole.
    public static func saveCTE(parameter first: Int, body: String, from relation: String) -> String {
        """
        idempotency_saved AS (
            INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, lock_token, locked_until, response_status, response_body,
                created_at, completed_at, expires_at)
            SELECT $\(first), $\(first + 1), $\(first + 2), $\(first + 3), NULL, CAST($\(first + 6) AS INTEGER), \(body),
                $\(first + 4), $\(first + 4), $\(first + 5)
            FROM \(relation)
            RETURNING 1
        )
        """
    }

    /// What the statement's final `SELECT` reads from so that it answers one row: put its own relation in a
    /// `LEFT JOIN … ON TRUE` after it.
    public static let claimRelation = "idempotency_claim"

    /// The key's columns of the answer row: `key_held`, `key_fingerprint` and `key_saved` (0 or 1).
    public static let claimColumns =
        "idempotency_claim.held AS key_held, idempotency_claim.fingerprint AS key_fingerprint, "
        + "(SELECT COUNT(*) FROM idempotency_saved) AS key_saved"

    /// Runs `statement` once per key on PostgreSQL, or `operation` as ``perform(_:saveFailure:operation:)`` does:
    /// on SQLite, when the key already has a row, and when the statement lost a race. `status` is the saved answer's
    /// status when the statement runs.
    public func perform<Value: Sendable>(
        _ request: IdempotentRequest,
        statement: IdempotentStatement<Value>,
        status: Int,
        saveFailure: @Sendable (any Error) -> SavedResult? = { _ in nil },
        operation: @Sendable (any SQLExecutor) async throws -> (Value, SavedResult)
    ) async throws -> IdempotencyOutcome<Value> {
        guard let postgres = database as? PostgresDatabase else {
            return try await perform(request, saveFailure: saveFailure, operation: operation)
        }
        try request.validate()
        let now = clock.now()
        let keyBinds: [SQLValue] = [
            .text(request.scope), .text(request.key), .text(request.fingerprint), .text(UUID().uuidString), now.sqlValue,
            now.addingTimeInterval(retention).sqlValue, .integer(Int64(status)),
        ]
        let row: SQLRow?
        do {
            row = try await postgres.query(statement.sql, statement.binds + keyBinds).first
        } catch StorageError.serializationFailure {
            row = nil
        } catch StorageError.uniqueViolation(let constraint) where constraint == "idempotency_keys_pkey" {
            row = nil  // a duplicate committed after this statement's snapshot: the transaction replays its answer
        }
        guard let row else { return try await performInOneTransaction(request, saveFailure: saveFailure, operation: operation) }
        guard try row.bool("key_held") else { throw IdempotencyError.keyInProgress }
        guard try row.optionalString("key_fingerprint") == nil else {
            return try await performInOneTransaction(request, saveFailure: saveFailure, operation: operation)
        }
        let saved = try row.int64("key_saved") == 1
        let answer: Value?
        do {
            answer = try statement.answer(row)
        } catch {
            guard !saved, let kept = saveFailure(error) else { throw error }
            return try await save(FailureToSave(error: error, saved: kept, startedAt: now), of: request, saveFailure, operation)
        }
        if let answer, saved { return .executed(answer) }
        // Nothing written and no reason given, or an answer saved that `answer` could not read: the transaction
        // decides, or replays what was saved.
        return try await performInOneTransaction(request, saveFailure: saveFailure, operation: operation)
    }

    /// Saves the refusal of a statement that wrote nothing, as a transaction saves a kept failure after rolling back.
    private func save<Value: Sendable>(
        _ failure: FailureToSave, of request: IdempotentRequest, _ saveFailure: @Sendable (any Error) -> SavedResult?,
        _ operation: @Sendable (any SQLExecutor) async throws -> (Value, SavedResult)
    ) async throws -> IdempotencyOutcome<Value> {
        let step: IdempotentStep<Value>
        do {
            step = try await saveAfterRollback(request, failure)
        } catch is KeyCollision {
            return try await performInOneTransaction(request, saveFailure: saveFailure, operation: operation)
        }
        return try step.outcome()
    }
}
