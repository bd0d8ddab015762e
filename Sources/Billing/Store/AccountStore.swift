import Contracts
import Foundation
import Kernel
import Storage

/// The `billing_accounts` table: one row per customer with their stored balance and credit limit.
enum AccountStore {
    /// Opens the account; `false` when it was open already (for this user).
    static func open(customerID: String, userID: String, currency: Currency, at time: Date, in tx: any SQLExecutor) async throws -> Bool {
        let inserted = try await tx.query(
            """
            INSERT INTO billing_accounts (customer_id, user_id, currency, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (customer_id) DO NOTHING RETURNING customer_id
            """,
            customerID, userID, currency.code, time)
        if !inserted.isEmpty { return true }
        let existing = try await tx.first("SELECT user_id FROM billing_accounts WHERE customer_id = $1", customerID)
        guard try existing?.string("user_id") == userID else {
            throw BillingError.conflict(reason: "the customer's account belongs to another user")
        }
        return false
    }

    /// The customer an owner names, resolved in SQL; ``BillingError/notFound`` when there is no such account.
    static func customerID(of owner: AccountOwner, in executor: any SQLExecutor) async throws -> String {
        let row: SQLRow?
        switch owner {
        case .user(let userID): row = try await executor.first("SELECT customer_id FROM billing_accounts WHERE user_id = $1", userID)
        case .customer(let customerID):
            row = try await executor.first("SELECT customer_id FROM billing_accounts WHERE customer_id = $1", customerID)
        }
        guard let row else { throw BillingError.notFound }
        return try row.string("customer_id")
    }

    /// The balance view of an account.
    static func balance(customerID: String, in executor: any SQLExecutor) async throws -> AccountBalance {
        guard
            let row = try await executor.first(
                """
                SELECT a.balance, a.credit_limit, a.currency,
                    CAST(COALESCE((SELECT SUM(p.amount) FROM promised_payments p WHERE p.customer_id = a.customer_id AND p.closed_at IS NULL), 0) AS BIGINT)
                        AS promised,
                    (SELECT COUNT(*) FROM subscriptions s WHERE s.customer_id = a.customer_id AND s.status = 'suspended') AS suspended
                FROM billing_accounts a WHERE a.customer_id = $1
                """,
                customerID)
        else { throw BillingError.notFound }
        let account = try row.decode(BalanceRow.self)
        let currency = account.currency
        // Saturates: a balance at the very top of its range still shows, with all of it available.
        let (spendable, overflow) = account.balance.addingReportingOverflow(account.creditLimit)
        return AccountBalance(
            customerId: customerID, balance: Money(minorUnits: account.balance, currency: currency),
            creditLimit: Money(minorUnits: account.creditLimit, currency: currency),
            promisedCredit: Money(minorUnits: account.promised, currency: currency),
            available: Money(minorUnits: overflow ? Int64.max : max(0, spendable), currency: currency), isSuspended: account.suspended > 0)
    }

    /// The columns of ``balance(customerID:in:)``: the account, its open promised credit, its suspended subscriptions.
    private struct BalanceRow: Decodable {
        var balance: Int64
        var creditLimit: Int64
        var currency: Currency
        var promised: Int64
        var suspended: Int64
    }

    /// Takes the account's row lock for the rest of the transaction. Every transaction that changes a customer's money
    /// or subscriptions takes it first, so they all lock in one order and cannot deadlock each other.
    static func lock(customerID: String, in tx: any SQLExecutor) async throws {
        guard try await !tx.query("UPDATE billing_accounts SET balance = balance WHERE customer_id = $1 RETURNING customer_id", customerID).isEmpty
        else { throw BillingError.notFound }
    }

    /// Locks the accounts of a run's batch, customers after `after` up to `upTo` (all after it when nil), in id
    /// order, so that no change of those customers' subscriptions or money commits while the batch prices and bills
    /// them, and the batch sees every change committed before it. PostgreSQL only: SQLite has one writer at a time.
    static func lockBatch(after: String, upTo: String?, in tx: any SQLExecutor) async throws {
        try await tx.query(lockBatchSQL, after, upTo ?? "")
    }

    private static let lockBatchSQL = PreparedSQL(
        """
        SELECT COUNT(*) AS locked FROM (
            SELECT 1 FROM billing_accounts WHERE customer_id > $1 AND ($2 = '' OR customer_id <= $2) ORDER BY customer_id FOR NO KEY UPDATE
        ) batch
        """)

    /// The account's locale for statement texts.
    static func locale(customerID: String, in executor: any SQLExecutor) async throws -> String {
        try await executor.first("SELECT locale FROM billing_accounts WHERE customer_id = $1", customerID)?.string("locale") ?? "ru"
    }

    /// Sets the credit limit from the override or, without one, the largest of the live subscriptions' tariffs.
    static func refreshCreditLimit(customerID: String, in tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            UPDATE billing_accounts SET credit_limit = COALESCE(credit_limit_override,
                (SELECT MAX(t.credit_limit) FROM subscriptions s JOIN tariffs t ON t.id = s.tariff_id
                 WHERE s.customer_id = $1 AND s.status <> 'terminated'), 0)
            WHERE customer_id = $1
            """,
            customerID)
    }
}
