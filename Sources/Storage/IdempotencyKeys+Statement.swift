import Foundation
import Kernel

/// The SQL of an idempotent operation that PostgreSQL can do in one statement. Storage wraps it with the key's check
/// and the saving of its answer; declare one as a `static let`, so it is composed once and kept prepared.
///
/// `queries` are the operation's `WITH` queries, its writes among them (a comma-separated list, without `WITH`);
/// `answer` is a query over them giving, in one row, the JSON text to save for the key when the operation was done,
/// and no row (or `NULL`) when it wrote nothing. Their placeholders are the operation's own binds, `$1` to `$n`.
/// Every write must happen only when there is an answer. A statement that must undo what it wrote (it lost a race
/// it cannot settle alone) calls `lastmile_conflict(message)`, which raises a serialization failure.
public struct IdempotentSQL: Sendable {
    let statement: PreparedSQL
    /// How many binds the operation's own SQL takes.
    let parameterCount: Int

    /// Wraps the operation's queries and answer with the key's check and answer.
    public init(with queries: String, answer: String) {
        let count = Self.highestPlaceholder(in: queries + answer)
        let key = (1...7).map { "$\(count + $0)" }
        // The key's parameters follow the operation's: scope, key, fingerprint, token, the time, the answer's expiry
        // and status. A statement that does not hold an unused key raises (its claim column comes first, so in
        // practice before the answer's writes run), and one that loses a race to a duplicate fails whole on the key's
        // primary key: either way nothing it wrote stays.
        parameterCount = count
        statement = PreparedSQL(
            """
            WITH idempotency_claim AS (
                SELECT pg_try_advisory_xact_lock(hashtextextended(\(key[0]) || chr(31) || \(key[1]), 0)) AS held,
                    EXISTS (SELECT 1 FROM idempotency_keys WHERE scope = \(key[0]) AND idempotency_key = \(key[1])) AS used
            ),
            \(queries),
            idempotency_answer (body) AS (\(answer)),
            idempotency_saved AS (
                INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, lock_token, locked_until, response_status, response_body,
                    created_at, completed_at, expires_at)
                SELECT \(key[0]), \(key[1]), \(key[2]), \(key[3]), NULL, CAST(\(key[6]) AS INTEGER), body, \(key[4]), \(key[4]), \(key[5])
                FROM idempotency_answer WHERE body IS NOT NULL
                RETURNING 1
            )
            SELECT CASE WHEN NOT held OR used THEN lastmile_conflict('the key is held or used: its transaction decides') END AS claim,
                (SELECT body FROM idempotency_answer) AS body
            FROM idempotency_claim
            """)
    }

    private static func highestPlaceholder(in sql: String) -> Int {
        var highest = 0
        var number: Int?
        for byte in sql.utf8 {
            if let current = number, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                number = current * 10 + Int(byte - UInt8(ascii: "0"))
            } else {
                if let current = number { highest = max(highest, current) }
                number = byte == UInt8(ascii: "$") ? 0 : nil
            }
        }
        return max(highest, number ?? 0)
    }
}

/// One run of an ``IdempotentSQL``: its binds, and how to read the value from the answer it saved.
public struct IdempotentStatement<Value: Sendable>: Sendable {
    let sql: IdempotentSQL
    let binds: [SQLValue]
    let value: @Sendable (String) throws -> Value

    /// Describes the run; `binds` are the operation's own, as many as its SQL's placeholders.
    public init(_ sql: IdempotentSQL, binds: [SQLValue], value: @escaping @Sendable (String) throws -> Value) {
        precondition(binds.count == sql.parameterCount, "the statement takes \(sql.parameterCount) binds, not \(binds.count)")
        self.sql = sql
        self.binds = binds
        self.value = value
    }
}

extension IdempotencyKeys {
    /// Runs `statement` on PostgreSQL as the whole request, key and answer included, or `operation` as
    /// ``perform(_:saveFailure:operation:)`` does: on SQLite, and whenever the statement did not answer (the key was
    /// held or used, the operation refused or lost a race). `status` is the status saved with its answer.
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
        var undone = false
        do {
            if let answer = try await postgres.query(statement.sql.statement, statement.binds + keyBinds).first?.optionalString("body") {
                return .executed(try statement.value(answer))
            }
        } catch StorageError.serializationFailure {
            // The key was held or used, or the operation lost a race: the statement undid itself.
            undone = true
        } catch StorageError.uniqueViolation(let constraint) where constraint == "idempotency_keys_pkey" {
            // A duplicate committed its key after this statement's snapshot: the transaction replays its answer.
        }
        // A statement that undid itself still holds the key's lock until its session has finished rolling back, which
        // may be a moment after its error reached us: the transaction then finds its own key held and tries again.
        var attempt = 0
        while true {
            do {
                return try await perform(request, saveFailure: saveFailure, operation: operation)
            } catch IdempotencyError.keyInProgress where undone && attempt < 5 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(5 << attempt))
            }
        }
    }
}
