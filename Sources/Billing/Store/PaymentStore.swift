import Acquiring
import Contracts
import Foundation
import Kernel
import Storage

/// The `payments` table.
enum PaymentStore {
    private static let columns =
        "id, customer_id, invoice_id, amount, method, provider, status, refunded_amount, confirmation_url, failure_reason, created_at"

    /// Inserts a payment; a provider payment with the provider's idempotency key and the request to send it with.
    static func insert(
        _ payment: Payment, reference: String?, createdBy: String?, providerKey: String? = nil, providerRequest: String? = nil,
        in tx: any SQLExecutor
    ) async throws {
        try await tx.query(
            """
            INSERT INTO payments (id, customer_id, invoice_id, amount, method, provider, status, refunded_amount, confirmation_url,
                reference, created_by, created_at, updated_at, provider_key, provider_request)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14)
            """,
            payment.id, payment.customerId, payment.invoiceId, payment.amount.minorUnits, payment.method.rawValue, payment.provider,
            payment.status.rawValue, payment.refundedAmount.minorUnits, payment.confirmationURL, reference, createdBy, payment.createdAt,
            providerKey, providerRequest)
    }

    /// A provider payment with what its saga keeps.
    struct ProviderRecord: Sendable {
        /// The payment.
        var payment: Payment
        /// The provider's id, once it answered.
        var providerPaymentID: String?
        /// The provider's idempotency key.
        var providerKey: String
        /// The request (``StoredProviderRequest`` as JSON).
        var providerRequest: String

        /// How the provider finds it.
        var reference: ProviderPaymentReference {
            ProviderPaymentReference(
                paymentID: payment.id, providerPaymentID: providerPaymentID, idempotencyKey: providerKey, createdAt: payment.createdAt)
        }
    }

    /// The provider payment `id` with its saga's columns; `nil` unless it is a provider payment.
    static func providerRecord(id: String, currency: Currency, in executor: any SQLExecutor) async throws -> ProviderRecord? {
        let rows = try await executor.query(
            "SELECT \(columns), provider_payment_id, provider_key, provider_request FROM payments WHERE id = $1 AND provider_key IS NOT NULL", id)
        return try rows.first.map { row in
            let saga = try row.decode(SagaColumns.self)
            return ProviderRecord(
                payment: try payment(row, currency: currency), providerPaymentID: saga.providerPaymentID, providerKey: saga.providerKey,
                providerRequest: saga.providerRequest)
        }
    }

    /// Our id of the payment the provider `provider` knows as `providerPaymentID`.
    static func id(provider: String, providerPaymentID: String, in executor: any SQLExecutor) async throws -> String? {
        try await executor.query("SELECT id FROM payments WHERE provider = $1 AND provider_payment_id = $2", provider, providerPaymentID)
            .first?.string("id")
    }

    /// Notes the provider's id and confirmation URL of a pending payment; a repeat with the same id changes nothing.
    static func recordProviderAnswer(id: String, providerPaymentID: String, confirmationURL: String?, at time: Date, in tx: any SQLExecutor)
        async throws
    {
        try await tx.query(
            """
            UPDATE payments SET provider_payment_id = $1, confirmation_url = COALESCE($2, confirmation_url), updated_at = $3
            WHERE id = $4 AND (provider_payment_id IS NULL OR provider_payment_id = $1)
            """,
            providerPaymentID, confirmationURL, time, id)
    }

    /// Ids of provider payments still pending that were created before `time`, the longest unlooked-at first, so that
    /// many abandoned ones never starve a newer one (``touch(id:at:in:)`` after each look).
    static func pendingProviderPayments(before time: Date, limit: Int, in executor: any SQLExecutor) async throws -> [String] {
        try await executor.query(
            "SELECT id FROM payments WHERE status = 'pending' AND method = 'provider' AND created_at < $1 ORDER BY updated_at, id LIMIT $2", time,
            limit
        ).map { try $0.string("id") }
    }

    /// Notes that a pending payment was looked at now.
    static func touch(id: String, at time: Date, in executor: any SQLExecutor) async throws {
        try await executor.query("UPDATE payments SET updated_at = $1 WHERE id = $2 AND status = 'pending'", time, id)
    }

    /// Moves a pending payment to `failed` with its reason; `nil` when it is not pending.
    static func fail(id: String, reason: String, at time: Date, currency: Currency, in tx: any SQLExecutor) async throws -> Payment? {
        try await tx.query(
            "UPDATE payments SET status = 'failed', failure_reason = $1, updated_at = $2 WHERE id = $3 AND status = 'pending' RETURNING \(columns)",
            reason, time, id
        ).first.map { try payment($0, currency: currency) }
    }

    /// One payment, only if it belongs to `customerID` when given.
    static func find(id: String, customerID: String?, currency: Currency, in executor: any SQLExecutor) async throws -> Payment? {
        let rows =
            if let customerID {
                try await executor.query("SELECT \(columns) FROM payments WHERE id = $1 AND customer_id = $2", id, customerID)
            } else {
                try await executor.query("SELECT \(columns) FROM payments WHERE id = $1", id)
            }
        return try rows.first.map { try payment($0, currency: currency) }
    }

    /// Moves a pending payment to `status`; `nil` when it is not pending (a repeated notification).
    static func settle(id: String, status: PaymentStatus, at time: Date, currency: Currency, in tx: any SQLExecutor) async throws -> Payment? {
        try await tx.query(
            "UPDATE payments SET status = $1, updated_at = $2 WHERE id = $3 AND status = 'pending' RETURNING \(columns)", status.rawValue, time, id
        ).first.map { try payment($0, currency: currency) }
    }

    /// Takes a refund back from a payment (a provider refused it); `nil` when it is not refunded by that much.
    static func removeRefund(id: String, amount: Int64, at time: Date, currency: Currency, in tx: any SQLExecutor) async throws -> Payment? {
        try await tx.query(
            """
            UPDATE payments SET refunded_amount = refunded_amount - $1, updated_at = $2,
                status = CASE WHEN refunded_amount - $1 = 0 THEN 'succeeded' ELSE 'partially_refunded' END
            WHERE id = $3 AND status IN ('refunded', 'partially_refunded') AND refunded_amount >= $1
            RETURNING \(columns)
            """,
            amount, time, id
        ).first.map { try payment($0, currency: currency) }
    }

    /// Adds a refund to a succeeded payment within its amount; `nil` when it does not fit.
    static func addRefund(id: String, amount: Int64, at time: Date, currency: Currency, in tx: any SQLExecutor) async throws -> Payment? {
        try await tx.query(
            """
            UPDATE payments SET refunded_amount = refunded_amount + $1, updated_at = $2,
                status = CASE WHEN refunded_amount + $1 = amount THEN 'refunded' ELSE 'partially_refunded' END
            WHERE id = $3 AND status IN ('succeeded', 'partially_refunded') AND amount - refunded_amount >= $1
            RETURNING \(columns)
            """,
            amount, time, id
        ).first.map { try payment($0, currency: currency) }
    }

    static func payment(_ row: SQLRow, currency: Currency) throws -> Payment {
        let record = try row.decode(PaymentRow.self)
        return Payment(
            id: record.id, customerId: record.customerID, invoiceId: record.invoiceID,
            amount: Money(minorUnits: record.amount, currency: currency), method: record.method, provider: record.provider,
            status: record.status, refundedAmount: Money(minorUnits: record.refundedAmount, currency: currency),
            confirmationURL: record.confirmationURL, failureReason: record.failureReason, createdAt: record.createdAt)
    }

    /// The columns of ``columns``.
    private struct PaymentRow: Decodable {
        var id: String
        var customerID: String
        var invoiceID: String?
        var amount: Int64
        var method: PaymentMethod
        var provider: String?
        var status: PaymentStatus
        var refundedAmount: Int64
        var confirmationURL: String?
        var failureReason: String?
        var createdAt: Date
    }

    /// The saga's columns of ``providerRecord(id:currency:in:)``.
    private struct SagaColumns: Decodable {
        var providerPaymentID: String?
        var providerKey: String
        var providerRequest: String
    }
}
