import Contracts
import Foundation
import Kernel
import Storage

/// The `autopay_settings` and `autopay_charges` tables. A charge's id says what it is for (`invoice:<id>`,
/// `threshold:<customer>:<day>`), so the same invoice or day is never charged twice whatever the events repeat.
enum AutopayStore {
    /// An account's autopay row.
    struct Settings: Decodable, Sendable {
        var methodID: String
        var enabled: Bool
        var threshold: Int64?
        var topUpAmount: Int64?
        var failures: Int
    }

    /// A charge waiting or running.
    struct Charge: Decodable, Sendable {
        var id: String
        var customerID: String
        var invoiceID: String?
        var methodID: String
        var amount: Int64
        var status: String
        var paymentID: String?
    }

    static func settings(customerID: String, in executor: any SQLExecutor) async throws -> Settings? {
        try await executor.query(
            "SELECT method_id, enabled, threshold, top_up_amount, failures FROM autopay_settings WHERE customer_id = $1", customerID
        ).first.map { try $0.decode(Settings.self) }
    }

    /// Sets an account's autopay; turning it on forgets earlier failures.
    static func set(customerID: String, _ settings: AutopaySettings, at time: Date, in tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            INSERT INTO autopay_settings (customer_id, method_id, enabled, threshold, top_up_amount, failures, updated_at)
            VALUES ($1, $2, $3, $4, $5, 0, $6)
            ON CONFLICT (customer_id) DO UPDATE SET method_id = excluded.method_id, enabled = excluded.enabled,
                threshold = excluded.threshold, top_up_amount = excluded.top_up_amount,
                failures = CASE WHEN excluded.enabled THEN 0 ELSE autopay_settings.failures END, updated_at = excluded.updated_at
            """,
            customerID, settings.methodId, settings.enabled, settings.threshold?.minorUnits, settings.topUpAmount?.minorUnits, time)
    }

    /// Turns off autopay that charges `methodID` (it was deleted).
    static func disable(methodID: String, at time: Date, in tx: any SQLExecutor) async throws {
        try await tx.query("UPDATE autopay_settings SET enabled = FALSE, updated_at = $1 WHERE method_id = $2", time, methodID)
    }

    /// Schedules a charge unless one with the same id exists; `true` when it was scheduled now.
    static func schedule(
        id: String, customerID: String, invoiceID: String?, methodID: String, amount: Int64, chargeAt: Date, at time: Date, in tx: any SQLExecutor
    ) async throws -> Bool {
        !(try await tx.query(
            """
            INSERT INTO autopay_charges (id, customer_id, invoice_id, method_id, amount, status, charge_at, created_at)
            VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id
            """,
            id, customerID, invoiceID, methodID, amount, chargeAt, time
        ).isEmpty)
    }

    private static let chargeColumns = "id, customer_id, invoice_id, method_id, amount, status, payment_id"

    /// Charges due by `time`, and charges whose payment is running.
    static func due(by time: Date, limit: Int, in executor: any SQLExecutor) async throws -> [Charge] {
        try await executor.query(
            """
            SELECT \(chargeColumns) FROM autopay_charges
            WHERE (status = 'scheduled' AND charge_at <= $1) OR status = 'charging' ORDER BY charge_at LIMIT $2
            """,
            time, limit
        ).map { try $0.decode(Charge.self) }
    }

    /// Takes a scheduled charge for `paymentID`; `false` when another process took it first.
    static func claim(id: String, paymentID: String, in tx: any SQLExecutor) async throws -> Bool {
        !(try await tx.query(
            "UPDATE autopay_charges SET status = 'charging', payment_id = $1 WHERE id = $2 AND status = 'scheduled' RETURNING id", paymentID, id
        ).isEmpty)
    }

    /// Ends a charge (`succeeded`, `failed`, `skipped`); `false` when it had ended already.
    static func finish(id: String, status: String, in tx: any SQLExecutor) async throws -> Bool {
        !(try await tx.query(
            "UPDATE autopay_charges SET status = $1 WHERE id = $2 AND status IN ('scheduled', 'charging') RETURNING id", status, id
        ).isEmpty)
    }

    /// Counts a failed charge; turns autopay off at `maximum` failures in a row. Returns whether it stopped.
    static func recordFailure(customerID: String, maximum: Int, at time: Date, in tx: any SQLExecutor) async throws -> Bool {
        let row = try await tx.query(
            """
            UPDATE autopay_settings SET failures = failures + 1, enabled = (failures + 1 < $1) AND enabled, updated_at = $2
            WHERE customer_id = $3 RETURNING enabled
            """,
            maximum, time, customerID
        ).first
        return try !(row?.bool("enabled") ?? true)
    }

    /// A charge went through: the failures in a row start again.
    static func resetFailures(customerID: String, in tx: any SQLExecutor) async throws {
        try await tx.query("UPDATE autopay_settings SET failures = 0 WHERE customer_id = $1", customerID)
    }

    /// Accounts with a threshold top-up whose balance is under it and that have no threshold charge on `day`.
    static func underThreshold(day: String, limit: Int, in executor: any SQLExecutor) async throws -> [(customerID: String, settings: Settings)] {
        try await executor.query(
            """
            SELECT s.customer_id, s.method_id, s.enabled, s.threshold, s.top_up_amount, s.failures
            FROM autopay_settings s JOIN billing_accounts a ON a.customer_id = s.customer_id
            WHERE s.enabled AND s.threshold IS NOT NULL AND s.top_up_amount IS NOT NULL AND a.balance < s.threshold
              AND NOT EXISTS (SELECT 1 FROM autopay_charges c WHERE c.id = 'threshold:' || s.customer_id || ':' || $1)
            LIMIT $2
            """,
            day, limit
        ).map { (try $0.string("customer_id"), try $0.decode(Settings.self)) }
    }
}
