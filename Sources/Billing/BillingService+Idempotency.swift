import Contracts
import Foundation
import Storage

extension BillingService {
    /// Encodes the answers saved for keys (and the parts of them written in SQL).
    static let answerEncoder = JSONEncoder()
    private static let decoder = JSONDecoder()

    /// Runs a money-moving operation once per key (Stripe semantics) and gives every retry the first answer.
    ///
    /// The operation runs in one transaction with the saving of its answer; a ``BillingError`` is saved and thrown
    /// again to retries, any other error frees the key. The key is scoped to `operation` and `caller`. On PostgreSQL
    /// a `statement` runs the whole request as one statement where it can, `body` where it cannot.
    func idempotent<Value: Codable & Sendable>(
        _ operation: String, caller: String, token: IdempotencyToken, statement: IdempotentStatement<Value>? = nil,
        _ body: @escaping @Sendable (any SQLExecutor) async throws -> Value
    ) async throws -> Value {
        let request = IdempotentRequest(scope: "billing.\(operation):\(caller)", key: token.key, fingerprint: token.fingerprint)
        let saveFailure: @Sendable (any Error) -> SavedResult? = { error in
            guard let error = error as? BillingError, let body = try? Self.answerEncoder.encode(error) else { return nil }
            return SavedResult(status: 400, body: String(decoding: body, as: UTF8.self))
        }
        let operation: @Sendable (any SQLExecutor) async throws -> (Value, SavedResult) = { tx in
            let value = try await body(tx)
            return (value, SavedResult(status: 200, body: String(decoding: try Self.answerEncoder.encode(value), as: UTF8.self)))
        }
        let outcome: IdempotencyOutcome<Value>
        do {
            if let statement {
                outcome = try await keys.perform(request, statement: statement, status: 200, saveFailure: saveFailure, operation: operation)
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
            if saved.status == 200 { return try Self.decoder.decode(Value.self, from: Data(saved.body.utf8)) }
            throw try Self.decoder.decode(BillingError.self, from: Data(saved.body.utf8))
        }
    }
}
