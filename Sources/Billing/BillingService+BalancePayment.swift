import Contracts
import Foundation
import Kernel
import Storage

extension BillingService {
    /// Pays an invoice from the balance on PostgreSQL in one statement: it reads the account and the invoice and,
    /// when the payment is allowed, writes the balance, the invoice, the ledger transaction and its entries, the
    /// payment and its events as data-modifying CTEs. The account row is locked by that statement only, so a hot
    /// account's lock is held for it and the commit, not for a dozen round trips. The rules are the same as on SQLite,
    /// and so are the texts and the event payloads (built in SQL in the form `EventEnvelope` writes them).
    func payFromBalanceOnPostgres(owner: AccountOwner, invoiceID: String, amount requested: Money?, in tx: any SQLExecutor) async throws
        -> Payment
    {
        let now = clock.now()
        let statement: PreparedSQL
        let ownerID: String
        switch owner {
        case .user(let id): (statement, ownerID) = (Self.balancePaymentByUserSQL, id)
        case .customer(let id): (statement, ownerID) = (Self.balancePaymentByCustomerSQL, id)
        }
        let paymentID = Identifier<Payment>.generate().rawValue
        let binds: [SQLValue] = [
            requested.map { .integer($0.minorUnits) } ?? .null, .text(ownerID), .text(invoiceID),
            .text(Identifier<LedgerPosting>.generate().rawValue), .text(paymentID), now.sqlValue, .text(settings.currency.code),
            .text(UUID().uuidString.lowercased()), .text(PaymentCreated.type), .integer(Int64(PaymentCreated.version)),
            .text(UUID().uuidString.lowercased()), .text(PaymentSucceeded.type), .integer(Int64(PaymentSucceeded.version)),
            .text(UUID().uuidString.lowercased()), .text(InvoicePaid.type), .integer(Int64(InvoicePaid.version)),
        ]
        guard let row = try await tx.query(statement, binds).first, try row.optionalString("invoice_id") != nil else {
            throw BillingError.notFound
        }
        let customerID = try row.string("customer_id")
        let status = InvoiceStatus(rawValue: try row.string("invoice_status")) ?? .issued
        guard status == .issued else { throw BillingError.invoiceNotPayable(status: status.rawValue) }
        let (amount, due) = (try row.int64("amount"), try row.int64("due"))
        guard amount > 0, amount <= due else {
            throw BillingError.invalidField(field: "amount", reason: "must be positive and at most the amount due")
        }
        if try row.optionalInt64("balance") == nil {
            let account = try await tx.first("SELECT balance, credit_limit FROM billing_accounts WHERE customer_id = $1", customerID)
            let available = try (account?.int64("balance") ?? 0) + (account?.int64("credit_limit") ?? 0)
            throw BillingError.insufficientFunds(available: money(max(0, available)))
        }
        // Another payment settled the invoice between this statement's snapshot and its lock on the invoice.
        guard try row.optionalString("paid_status") != nil else { throw BillingError.invoiceNotPayable(status: "paid") }
        return Payment(
            id: paymentID, customerId: customerID, invoiceId: invoiceID, amount: money(amount), method: .balance, provider: nil,
            status: .succeeded, refundedAmount: money(0), confirmationURL: nil, createdAt: now)
    }

    /// ``balancePaymentSQL(owner:)`` for an owner given by user id.
    static let balancePaymentByUserSQL = PreparedSQL(balancePaymentSQL(owner: "user_id"))

    /// ``balancePaymentSQL(owner:)`` for an owner given by customer id.
    static let balancePaymentByCustomerSQL = PreparedSQL(balancePaymentSQL(owner: "customer_id"))

    /// `$1` the amount (NULL: all that is due), `$2` the owner (`owner` names the `billing_accounts` column), `$3` the
    /// invoice, `$4` the ledger transaction, `$5` the payment, `$6` the time, `$7` the currency, then id, type and
    /// version of `payment.created` (`$8`…`$10`), `payment.succeeded` (`$11`…`$13`) and `invoice.paid` (`$14`…`$16`),
    /// which is written only when the payment settles the invoice.
    ///
    /// `target` is the account and its invoice; only a payable one (issued, `0 < amount ≤ due`) goes on. Nothing is
    /// written unless the balance stays at or above minus the credit limit; should the invoice have been settled by
    /// a payment that committed while this one waited for the account, the balance is updated alone and the caller
    /// throws, rolling it back. The answer row is `target` with `balance` (null: refused) and `paid_status`.
    static func balancePaymentSQL(owner: String) -> String {
        """
        WITH target AS (
            SELECT a.customer_id, i.id AS invoice_id, i.number, i.status AS invoice_status, i.total, i.total - i.amount_paid AS due,
                COALESCE(CAST($1 AS BIGINT), i.total - i.amount_paid) AS amount
            FROM billing_accounts a LEFT JOIN invoices i ON i.id = $3 AND i.customer_id = a.customer_id WHERE a.\(owner) = $2
        ),
        payable AS (
            SELECT * FROM target WHERE invoice_status = 'issued' AND amount > 0 AND amount <= due
        ),
        acct AS (
            UPDATE billing_accounts a SET balance = a.balance - p.amount FROM payable p
            WHERE a.customer_id = p.customer_id AND a.balance - p.amount >= -a.credit_limit
            RETURNING a.balance
        ),
        inv AS (
            UPDATE invoices i SET amount_paid = i.amount_paid + p.amount,
                status = CASE WHEN i.total - i.amount_paid = p.amount THEN 'paid' ELSE i.status END
            FROM payable p
            WHERE i.id = p.invoice_id AND i.status = 'issued' AND i.total - i.amount_paid >= p.amount AND EXISTS (SELECT 1 FROM acct)
            RETURNING i.status
        ),
        ledger AS (
            INSERT INTO ledger_transactions (id, kind, customer_id, invoice_id, payment_id, description_ru, description_en, occurred_at)
            SELECT $4, 'charge', p.customer_id, p.invoice_id, $5, 'Оплата счёта ' || p.number || ' с баланса',
                'Invoice ' || p.number || ' paid from the balance', $6
            FROM payable p, inv
            RETURNING 1
        ),
        entries AS (
            INSERT INTO ledger_entries (transaction_id, account, customer_id, invoice_id, amount, balance_after)
            SELECT $4, 'customer', p.customer_id, CAST(NULL AS TEXT), -p.amount, acct.balance FROM payable p, acct, inv
            UNION ALL SELECT $4, 'receivable', p.customer_id, p.invoice_id, p.amount, CAST(NULL AS BIGINT) FROM payable p, inv
            RETURNING 1
        ),
        payment AS (
            INSERT INTO payments (id, customer_id, invoice_id, amount, method, provider, status, refunded_amount, confirmation_url, reference,
                created_by, created_at, updated_at)
            SELECT $5, p.customer_id, p.invoice_id, p.amount, 'balance', NULL, 'succeeded', 0, NULL, NULL, NULL, $6, $6 FROM payable p, inv
            RETURNING 1
        ),
        payload AS (
            SELECT '{"amount":{"amount":' || p.amount || ',"currency":' || to_json(CAST($7 AS TEXT)) || '},"customerId":'
                    || to_json(p.customer_id) || ',"invoiceId":' || to_json(p.invoice_id) || ',"method":"balance","paymentId":'
                    || to_json(CAST($5 AS TEXT)) || '}' AS payment,
                '{"customerId":' || to_json(p.customer_id) || ',"invoiceId":' || to_json(p.invoice_id) || ',"total":{"amount":' || p.total
                    || ',"currency":' || to_json(CAST($7 AS TEXT)) || '}}' AS invoice
            FROM payable p
        ),
        events AS (
            INSERT INTO outbox_events (id, type, version, occurred_at, payload, available_at)
            SELECT $8, $9, $10, $6, payload.payment, 0 FROM payload, inv
            UNION ALL SELECT $11, $12, $13, $6, payload.payment, 0 FROM payload, inv
            UNION ALL SELECT $14, $15, $16, $6, payload.invoice, 0 FROM payload, inv WHERE inv.status = 'paid'
            RETURNING 1
        )
        SELECT t.customer_id, t.invoice_id, t.invoice_status, t.due, t.amount, (SELECT balance FROM acct) AS balance,
            (SELECT status FROM inv) AS paid_status,
            (SELECT COUNT(*) FROM ledger) + (SELECT COUNT(*) FROM entries) + (SELECT COUNT(*) FROM payment) + (SELECT COUNT(*) FROM events)
                AS written
        FROM target t
        """
    }
}
