import Foundation
import Kernel
import Storage

/// The `payment_refunds` table: refunds through a provider, pending until the provider answers.
enum RefundStore {
    /// A refund row.
    struct Refund: Decodable, Sendable {
        /// Our id.
        var id: String
        /// The payment.
        var paymentID: String
        /// The customer.
        var customerID: String
        /// Amount in minor units.
        var amount: Int64
        /// `pending`, `succeeded` or `failed`.
        var status: String
        /// The provider's name.
        var provider: String
        /// The provider's id, once it answered.
        var providerRefundID: String?
        /// The provider's idempotency key.
        var providerKey: String
        /// The refund's receipt as JSON (``StoredRefundRequest``).
        var providerRequest: String
        /// When it was asked for.
        var createdAt: Date
    }

    private static let columns =
        "id, payment_id, customer_id, amount, status, provider, provider_refund_id, provider_key, provider_request, created_at"

    /// Inserts a pending refund.
    static func insert(_ refund: Refund, reason: String, createdBy: String?, in tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            INSERT INTO payment_refunds (id, payment_id, customer_id, amount, status, provider, provider_key, provider_request, reason,
                created_by, created_at, updated_at)
            VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $10)
            """,
            refund.id, refund.paymentID, refund.customerID, refund.amount, refund.provider, refund.providerKey, refund.providerRequest, reason,
            createdBy, refund.createdAt)
    }

    /// One refund.
    static func find(id: String, in executor: any SQLExecutor) async throws -> Refund? {
        try await executor.query("SELECT \(columns) FROM payment_refunds WHERE id = $1", id).first.map { try $0.decode(Refund.self) }
    }

    /// Our id of the refund the provider `provider` knows as `providerRefundID`.
    static func id(provider: String, providerRefundID: String, in executor: any SQLExecutor) async throws -> String? {
        try await executor.query("SELECT id FROM payment_refunds WHERE provider = $1 AND provider_refund_id = $2", provider, providerRefundID)
            .first?.string("id")
    }

    /// Moves a pending refund to `succeeded` or `failed`; `false` when it was not pending (someone settled it first).
    static func settle(id: String, status: String, providerRefundID: String?, reason: String?, at time: Date, in tx: any SQLExecutor)
        async throws -> Bool
    {
        !(try await tx.query(
            """
            UPDATE payment_refunds SET status = $1, provider_refund_id = COALESCE($2, provider_refund_id), failure_reason = $3, updated_at = $4
            WHERE id = $5 AND status = 'pending' RETURNING id
            """,
            status, providerRefundID, reason, time, id
        ).isEmpty)
    }

    /// Notes the provider's id of a pending refund.
    static func recordProviderID(id: String, providerRefundID: String, at time: Date, in tx: any SQLExecutor) async throws {
        try await tx.query(
            "UPDATE payment_refunds SET provider_refund_id = $1, updated_at = $2 WHERE id = $3 AND provider_refund_id IS NULL",
            providerRefundID, time, id)
    }

    /// Ids of refunds still pending that were asked for before `time`, the longest unlooked-at first.
    static func pending(before time: Date, limit: Int, in executor: any SQLExecutor) async throws -> [String] {
        try await executor.query(
            "SELECT id FROM payment_refunds WHERE status = 'pending' AND created_at < $1 ORDER BY updated_at, id LIMIT $2", time, limit
        ).map { try $0.string("id") }
    }

    /// Notes that a pending refund was looked at now.
    static func touch(id: String, at time: Date, in executor: any SQLExecutor) async throws {
        try await executor.query("UPDATE payment_refunds SET updated_at = $1 WHERE id = $2 AND status = 'pending'", time, id)
    }
}
