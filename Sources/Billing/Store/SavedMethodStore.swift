import Acquiring
import Contracts
import Foundation
import Kernel
import Storage

/// The `saved_payment_methods` table: provider tokens of customers' saved cards.
enum SavedMethodStore {
    private static let columns = "id, provider, title, expires, created_at"

    /// Keeps a method a provider saved for a customer; a token kept already changes nothing.
    static func save(customerID: String, provider: String, details: SavedMethodDetails, at time: Date, in tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            INSERT INTO saved_payment_methods (id, customer_id, provider, token, title, expires, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (provider, token) DO NOTHING
            """,
            "pm_" + Identifier<Payment>.generate().rawValue, customerID, provider, details.token, String(details.title.prefix(100)),
            details.expires, time)
    }

    /// The customer's methods, oldest first.
    static func list(customerID: String, in executor: any SQLExecutor) async throws -> [SavedPaymentMethod] {
        try await executor.query(
            "SELECT \(columns) FROM saved_payment_methods WHERE customer_id = $1 AND deleted_at IS NULL ORDER BY created_at, id", customerID
        ).map { try $0.decode(SavedPaymentMethod.self) }
    }

    /// One of the customer's methods with its token.
    static func find(id: String, customerID: String, in executor: any SQLExecutor) async throws -> (method: SavedPaymentMethod, token: String)? {
        guard
            let row = try await executor.query(
                "SELECT \(columns), token FROM saved_payment_methods WHERE id = $1 AND customer_id = $2 AND deleted_at IS NULL", id, customerID
            ).first
        else { return nil }
        return (try row.decode(SavedPaymentMethod.self), try row.string("token"))
    }

    /// Forgets a method; `false` when the customer has no such method.
    static func delete(id: String, customerID: String, at time: Date, in tx: any SQLExecutor) async throws -> Bool {
        !(try await tx.query(
            "UPDATE saved_payment_methods SET deleted_at = $1 WHERE id = $2 AND customer_id = $3 AND deleted_at IS NULL RETURNING id", time, id,
            customerID
        ).isEmpty)
    }
}
