import Foundation
import Kernel

extension IdempotencyKeys {
    /// PostgreSQL: the key's check, the operation and its answer in one transaction, so a request commits once.
    ///
    /// The check takes the key's advisory lock without waiting: a concurrent duplicate finds it taken and gets
    /// ``IdempotencyError/keyInProgress`` at once. The key's row is written only at the end, already completed with
    /// the answer, so nothing can ever see the key half done. A failure that `saveFailure` keeps rolls the whole
    /// transaction back and is saved by a second, short one that takes the key's lock again (a savepoint around the
    /// operation would keep it in the first, but makes every write of every request a subtransaction's).
    func performInOneTransaction<Value: Sendable>(
        _ request: IdempotentRequest,
        saveFailure: @Sendable (any Error) -> SavedResult?,
        operation: @Sendable (any SQLExecutor) async throws -> (Value, SavedResult)
    ) async throws -> IdempotencyOutcome<Value> {
        // Another run may commit the key between this transaction's snapshot and its taking the lock; its answer
        // then collides with ours at the end, this run rolls back, and the next pass replays that answer.
        for _ in 0..<3 {
            let step: IdempotentStep<Value>
            do {
                // A request-sized transaction: it runs on its connection's event loop (see PostgresDatabase).
                step = try await inRequestTransaction { transaction in
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
                    step = try await saveAfterRollback(request, failure)
                } catch is KeyCollision {
                    continue
                }
            } catch is KeyCollision {
                continue
            }
            return try step.outcome()
        }
        throw IdempotencyError.keyInProgress
    }

    private func inRequestTransaction<Result: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> Result) async throws
        -> Result
    {
        guard let postgres = database as? PostgresDatabase else { return try await database.transaction(body) }
        return try await postgres.transaction(onConnectionEventLoop: true, body)
    }

    /// Takes the key's lock for this transaction and reads it: the saved answer to replay, or nil when the caller
    /// may run the operation (a stale claim is deleted). Throws ``IdempotencyError/keyInProgress`` when another run
    /// holds the lock.
    private func claim(_ request: IdempotentRequest, at now: Date, in transaction: any SQLExecutor) async throws -> SavedResult? {
        guard let row = try await transaction.query(Self.lockAndReadSQL, request.scope, request.key).first, try row.bool("held") else {
            throw IdempotencyError.keyInProgress
        }
        guard try row.optionalString("fingerprint") != nil else { return nil }
        switch try decide(row, for: request, at: now) {
        case .replay(let saved): return saved
        case .takeOver(let token):
            try await transaction.query(Self.deleteStaleSQL, request.scope, request.key, token)
            return nil
        }
    }

    /// Saves a kept failure after its transaction rolled back. Between the two transactions the key was free: a
    /// duplicate that ran then and saved its answer is replayed instead, and one still running makes this answer
    /// ``IdempotencyError/keyInProgress``, as if the two had arrived together.
    func saveAfterRollback<Value: Sendable>(_ request: IdempotentRequest, _ failure: FailureToSave) async throws
        -> IdempotentStep<Value>
    {
        try await database.transaction { transaction in
            if let saved = try await claim(request, at: clock.now(), in: transaction) { return .replayed(saved) }
            guard try await save(request, failure.saved, startedAt: failure.startedAt, in: transaction) else { throw KeyCollision() }
            return .failed(failure.error)
        }
    }

    /// Writes the key with its answer; `false` when a row for it appeared since this transaction's snapshot.
    private func save(_ request: IdempotentRequest, _ result: SavedResult, startedAt: Date, in executor: any SQLExecutor) async throws -> Bool {
        let now = clock.now()
        return try await !executor.query(
            Self.insertCompletedSQL, request.scope, request.key, request.fingerprint, UUID().uuidString, result.status, result.body,
            startedAt, now, now.addingTimeInterval(retention)
        ).isEmpty
    }
}

/// The key was written by another run after this one's snapshot: roll back and look again.
struct KeyCollision: Error {}

/// A failure `saveFailure` keeps, carried out of the transaction it rolls back.
struct FailureToSave: Error {
    let error: any Error
    let saved: SavedResult
    let startedAt: Date
}

/// How the one transaction of ``IdempotencyKeys/performInOneTransaction(_:saveFailure:operation:)`` ended.
enum IdempotentStep<Value: Sendable>: Sendable {
    case executed(Value)
    case replayed(SavedResult)
    case failed(any Error)

    /// What the request answers: its value or saved answer, or the error it failed with.
    func outcome() throws -> IdempotencyOutcome<Value> {
        switch self {
        case .executed(let value): return .executed(value)
        case .replayed(let saved): return .replayed(saved)
        case .failed(let error): throw error
        }
    }
}
