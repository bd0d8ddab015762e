import Contracts
import Foundation
import Storage

/// The ledger's invariants, each as one query that lists breaches.
enum LedgerVerifier {
    private static let limit = 100

    static func verify(in executor: any SQLExecutor) async throws -> LedgerVerification {
        var problems: [String] = []
        let unbalanced = try await executor.query(
            """
            SELECT transaction_id, CAST(SUM(amount) AS BIGINT) AS total FROM ledger_entries
            GROUP BY transaction_id HAVING SUM(amount) <> 0 LIMIT \(limit)
            """, [])
        for row in unbalanced {
            problems.append("transaction \(try row.string("transaction_id")) sums to \(try row.int64("total")), not zero")
        }
        let empty = try await executor.query(
            """
            SELECT t.id FROM ledger_transactions t LEFT JOIN (SELECT DISTINCT transaction_id FROM ledger_entries) e ON e.transaction_id = t.id
            WHERE e.transaction_id IS NULL LIMIT \(limit)
            """, [])
        for row in empty { problems.append("transaction \(try row.string("id")) has no entries") }
        let balances = try await executor.query(
            """
            SELECT a.customer_id, a.balance, CAST(COALESCE(e.total, 0) AS BIGINT) AS total FROM billing_accounts a
            LEFT JOIN (SELECT customer_id, SUM(amount) AS total FROM ledger_entries WHERE account = 'customer' GROUP BY customer_id) e
                ON e.customer_id = a.customer_id
            WHERE a.balance <> COALESCE(e.total, 0) LIMIT \(limit)
            """, [])
        for row in balances {
            problems.append(
                "customer \(try row.string("customer_id")): stored balance \(try row.int64("balance")) ≠ entries \(try row.int64("total"))")
        }
        let totals = try await executor.query(
            """
            SELECT i.id, i.total, i.vat, CAST(COALESCE(l.amount, 0) AS BIGINT) AS lines, CAST(COALESCE(l.vat, 0) AS BIGINT) AS line_vat
            FROM invoices i
            LEFT JOIN (SELECT invoice_id, SUM(amount) AS amount, SUM(vat) AS vat FROM invoice_lines GROUP BY invoice_id) l ON l.invoice_id = i.id
            WHERE i.total <> COALESCE(l.amount, 0) OR i.vat <> COALESCE(l.vat, 0) LIMIT \(limit)
            """, [])
        for row in totals {
            problems.append("invoice \(try row.string("id")): total \(try row.int64("total")) ≠ lines \(try row.int64("lines")) or VAT differs")
        }
        let paid = try await executor.query(
            """
            SELECT i.id, i.status, i.total, i.amount_paid, CAST(COALESCE(r.total, 0) AS BIGINT) AS receivable FROM invoices i
            LEFT JOIN (SELECT invoice_id, SUM(amount) AS total FROM ledger_entries WHERE account = 'receivable' GROUP BY invoice_id) r
                ON r.invoice_id = i.id
            WHERE COALESCE(r.total, 0) <> i.amount_paid - i.total OR i.amount_paid < 0 OR i.amount_paid > i.total
                OR (i.status IN ('paid', 'overdue') AND i.amount_paid <> i.total) OR (i.status = 'issued' AND i.amount_paid = i.total AND i.total > 0)
            LIMIT \(limit)
            """, [])
        for row in paid {
            problems.append(
                "invoice \(try row.string("id")) (\(try row.string("status"))): paid \(try row.int64("amount_paid")) of \(try row.int64("total")), "
                    + "receivable \(try row.int64("receivable"))")
        }
        let refunds = try await executor.query(
            "SELECT id FROM payments WHERE refunded_amount < 0 OR refunded_amount > amount OR amount <= 0 LIMIT \(limit)", [])
        for row in refunds { problems.append("payment \(try row.string("id")): refunded amount out of range") }
        let promised = try await executor.query(
            """
            SELECT CAST(COALESCE((SELECT SUM(amount) FROM ledger_entries WHERE account = 'promised_credit'), 0) AS BIGINT) AS ledger,
                CAST(COALESCE((SELECT SUM(amount) FROM promised_payments WHERE closed_at IS NULL), 0) AS BIGINT) AS open
            """, [])
        if let row = promised.first, try row.int64("ledger") != -(try row.int64("open")) {
            problems.append("promised credit: ledger \(try row.int64("ledger")) ≠ minus open promised payments \(try row.int64("open"))")
        }
        let suspensions = try await executor.query(
            """
            SELECT s.id, s.status FROM subscriptions s
            LEFT JOIN subscription_suspensions u ON u.subscription_id = s.id AND u.ends_before IS NULL
            WHERE (s.status = 'suspended' AND u.subscription_id IS NULL) OR (s.status IN ('active', 'paused') AND u.subscription_id IS NOT NULL)
            LIMIT \(limit)
            """, [])
        for row in suspensions {
            problems.append("subscription \(try row.string("id")) is \(try row.string("status")) but its open suspensions disagree")
        }
        let counts = try await executor.first(
            "SELECT (SELECT COUNT(*) FROM ledger_transactions) AS transactions, (SELECT COUNT(*) FROM billing_accounts) AS accounts")
        return LedgerVerification(
            transactionsChecked: try counts?.int("transactions") ?? 0, accountsChecked: try counts?.int("accounts") ?? 0, problems: problems)
    }
}
