import Contracts
import Foundation
import Kernel
import Storage

/// The `payments` table.
enum PaymentStore {
    private static let columns = "id, customer_id, invoice_id, amount, method, provider, status, refunded_amount, confirmation_url, created_at"

    /// Inserts a payment.
    static func insert(_ payment: Payment, reference: String?, createdBy: String?, in tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            INSERT INTO payments (id, customer_id, invoice_id, amount, method, provider, status, refunded_amount, confirmation_url,
                reference, created_by, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
            """,
            payment.id, payment.customerId, payment.invoiceId, payment.amount.minorUnits, payment.method.rawValue, payment.provider,
            payment.status.rawValue, payment.refundedAmount.minorUnits, payment.confirmationURL, reference, createdBy, payment.createdAt)
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
            confirmationURL: record.confirmationURL, createdAt: record.createdAt)
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
        var createdAt: Date
    }
}
