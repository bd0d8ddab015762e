import Foundation
import Kernel

extension IdempotencyKeys {
    /// PostgreSQL: the key's check, the operation and its answer in one transaction, so a request commits once.
    ///
    /// The check takes the key's advisory lock without waiting: a concurrent duplicate finds it taken and gets
    /// ``IdempotencyError/keyInProgress`` at once. The key's row is written only at the end, already completed with
    /// the answer, so nothing can ever see the key half done. A failure that `saveFailure` keeps is saved the same
    /// way after rolling the operation back to a savepoint, still under the lock, so no retry can run in between.
    func performInOneTransaction<Value: Sendable>(
        _ request: IdempotentRequest,
        saveFailure: @Sendable (any Error) -> SavedResult?,
        operation: @Sendable (any SQLExecutor) async throws -> (Value, SavedResult)
    ) async throws -> IdempotencyOutcome<Value> {
        // Another run may commit the key between this transaction's snapshot and its taking the lock; its answer
        // then collides with ours at the end, this run rolls back, and the next pass replays that answer.
        for _ in 0..<3 {
            let step: IdempotentStep<Value> = try await database.transaction { transaction in
                let now = clock.now()
                guard let row = try await transaction.query(Self.lockAndReadSQL, request.scope, request.key).first else {
                    throw IdempotencyError.keyInProgress
                }
                guard try row.bool("held") else { throw IdempotencyError.keyInProgress }
                if try row.optionalString("fingerprint") != nil {
                    switch try decide(row, for: request, at: now) {
                    case .replay(let saved): return .replayed(saved)
                    case .takeOver(let token):
                        try await transaction.query(Self.deleteStaleSQL, request.scope, request.key, token)
                    }
                }
                try await transaction.query(Self.savepointSQL, [])
                do {
                    let (value, saved) = try await operation(transaction)
                    guard try await save(request, saved, startedAt: now, in: transaction) else { throw KeyCollision() }
                    return .executed(value)
                } catch let error as KeyCollision {
                    throw error
                } catch {
                    guard let saved = saveFailure(error) else { throw error }
                    try await transaction.query("ROLLBACK TO SAVEPOINT idempotent_operation", [])
                    guard try await save(request, saved, startedAt: now, in: transaction) else { throw KeyCollision() }
                    return .failed(error)
                }
            }
            switch step {
            case .executed(let value): return .executed(value)
            case .replayed(let saved): return .replayed(saved)
            case .failed(let error): throw error
            }
        }
        throw IdempotencyError.keyInProgress
    }

    private static let savepointSQL = PreparedSQL("SAVEPOINT idempotent_operation")

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
private struct KeyCollision: Error {}

/// How the one transaction of ``IdempotencyKeys/performInOneTransaction(_:saveFailure:operation:)`` ended.
enum IdempotentStep<Value: Sendable>: Sendable {
    case executed(Value)
    case replayed(SavedResult)
    case failed(any Error)
}
