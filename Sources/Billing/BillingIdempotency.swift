import Contracts
import Foundation
import Storage

/// Billing's idempotency keys (Stripe semantics): every money-moving request runs through ``perform(_:caller:token:statement:_:)``,
/// which maps Storage's ``IdempotencyKeys`` to billing's answers and errors.
struct BillingIdempotency: Sendable {
    /// The keys' store.
    let keys: IdempotencyKeys

    /// Encodes the answers saved for keys, including those a statement saves (made in Swift, see ``BalancePayment``).
    static let answerEncoder = JSONEncoder()
    private static let decoder = JSONDecoder()
    /// The status saved with an answer; a saved ``BillingError`` has 400.
    private static let succeeded = 200

    /// Runs a money-moving operation once per key (Stripe semantics) and gives every retry the first answer.
    ///
    /// The operation runs in one transaction with the saving of its answer; a ``BillingError`` is saved and thrown
    /// again to retries, any other error frees the key. The key is scoped to `operation` and `caller`. On PostgreSQL
    /// a `statement` (its SQL and binds) does the whole request in one statement where it can, `body` where it cannot.
    func perform<Value: Codable & Sendable>(
        _ operation: String, caller: String, token: IdempotencyToken, statement: (IdempotentSQL, [SQLValue])? = nil,
        _ body: @escaping @Sendable (any SQLExecutor) async throws -> Value
    ) async throws -> Value {
        let request = IdempotentRequest(scope: "billing.\(operation):\(caller)", key: token.key, fingerprint: token.fingerprint)
        let saveFailure: @Sendable (any Error) -> SavedResult? = { error in
            guard let error = error as? BillingError, let body = try? Self.answerEncoder.encode(error) else { return nil }
            return SavedResult(status: 400, body: String(decoding: body, as: UTF8.self))
        }
        let operation: @Sendable (any SQLExecutor) async throws -> (Value, SavedResult) = { tx in
            let value = try await body(tx)
            return (value, SavedResult(status: Self.succeeded, body: String(decoding: try Self.answerEncoder.encode(value), as: UTF8.self)))
        }
        let outcome: IdempotencyOutcome<Value>
        do {
            if let (sql, binds) = statement {
                let statement = IdempotentStatement(sql, binds: binds) { try Self.decoder.decode(Value.self, from: Data($0.utf8)) }
                outcome = try await keys.perform(
                    request, statement: statement, status: Self.succeeded, saveFailure: saveFailure, operation: operation)
            } else {
                outcome = try await keys.perform(request, saveFailure: saveFailure, operation: operation)
            }
        } catch let error as IdempotencyError {
            switch error {
            case .keyInProgress: throw BillingError.idempotencyKeyInProgress
            case .keyReusedWithDifferentRequest: throw BillingError.idempotencyKeyReused
            case .invalidKey(let reason): throw BillingError.invalidField(field: "idempotencyKey", reason: reason)
            }
        }
        switch outcome {
        case .executed(let value):
            return value
        case .replayed(let saved):
            if saved.status == Self.succeeded { return try Self.decoder.decode(Value.self, from: Data(saved.body.utf8)) }
            throw try Self.decoder.decode(BillingError.self, from: Data(saved.body.utf8))
        }
    }
}
