import Contracts
import Foundation
import Kernel
import Storage

extension BillingService {
    /// Pays an invoice from the balance on PostgreSQL in two statements: one reads the account and the invoice, one
    /// writes everything else (the balance, the invoice, the ledger transaction and its entries, the payment and its
    /// events) as data-modifying CTEs. The account row is locked by that second statement only, so a hot account's
    /// lock is held for it and the commit, not for a dozen round trips. The rules are the same as on SQLite.
    func payFromBalanceOnPostgres(owner: AccountOwner, invoiceID: String, amount requested: Money?, in tx: any SQLExecutor) async throws
        -> Payment
    {
        let now = clock.now()
        let lookup: PreparedSQL
        let ownerID: String
        switch owner {
        case .user(let id): (lookup, ownerID) = (Self.payableInvoiceByUserSQL, id)
        case .customer(let id): (lookup, ownerID) = (Self.payableInvoiceByCustomerSQL, id)
        }
        guard let row = try await tx.query(lookup, ownerID, invoiceID).first else { throw BillingError.notFound }
        let customerID = try row.string("customer_id")
        guard try row.optionalString("id") != nil else { throw BillingError.notFound }
        let (number, total) = (try row.string("number"), try row.int64("total"))
        let status = InvoiceStatus(rawValue: try row.string("status")) ?? .issued
        let due = total - (try row.int64("amount_paid"))
        guard status == .issued else { throw BillingError.invoiceNotPayable(status: status.rawValue) }
        let amount = requested?.minorUnits ?? due
        guard amount > 0, amount <= due else {
            throw BillingError.invalidField(field: "amount", reason: "must be positive and at most the amount due")
        }
        let payment = Payment(
            id: Identifier<Payment>.generate().rawValue, customerId: customerID, invoiceId: invoiceID, amount: money(amount), method: .balance,
            provider: nil, status: .succeeded, refundedAmount: money(0), confirmationURL: nil, createdAt: now)
        let created = try EventEnvelope(
            PaymentCreated(paymentId: payment.id, customerId: customerID, invoiceId: invoiceID, amount: payment.amount, method: .balance), at: now)
        let succeeded = try EventEnvelope(
            PaymentSucceeded(paymentId: payment.id, customerId: customerID, invoiceId: invoiceID, amount: payment.amount, method: .balance), at: now)
        let paid = try EventEnvelope(InvoicePaid(invoiceId: invoiceID, customerId: customerID, total: money(total)), at: now)
        let text = LocalizedText(ru: "Оплата счёта \(number) с баланса", en: "Invoice \(number) paid from the balance")
        let binds: [SQLValue] = [
            .integer(amount), .text(customerID), .text(invoiceID), .text(Identifier<LedgerPosting>.generate().rawValue), .text(payment.id),
            .text(text.ru), .text(text.en), now.sqlValue,
            .text(created.id), .text(created.type), .integer(Int64(created.version)), .text(created.payload),
            .text(succeeded.id), .text(succeeded.type), .integer(Int64(succeeded.version)), .text(succeeded.payload),
            .text(paid.id), .text(paid.type), .integer(Int64(paid.version)), .text(paid.payload),
        ]
        guard let result = try await tx.query(Self.balancePaymentSQL, binds).first else { throw BillingError.notFound }
        if try result.optionalInt64("balance") == nil {
            let account = try await tx.first("SELECT balance, credit_limit FROM billing_accounts WHERE customer_id = $1", customerID)
            let available = try (account?.int64("balance") ?? 0) + (account?.int64("credit_limit") ?? 0)
            throw BillingError.insufficientFunds(available: money(max(0, available)))
        }
        guard try result.optionalString("status") != nil else { throw BillingError.invoiceNotPayable(status: "paid") }
        return payment
    }

    /// The account of `$1` (a user) and its invoice `$2`, if it has one.
    static let payableInvoiceByUserSQL = PreparedSQL(
        """
        SELECT a.customer_id, i.id, i.number, i.status, i.total, i.amount_paid
        FROM billing_accounts a LEFT JOIN invoices i ON i.id = $2 AND i.customer_id = a.customer_id WHERE a.user_id = $1
        """)

    /// The account of `$1` (a customer) and its invoice `$2`, if it has one.
    static let payableInvoiceByCustomerSQL = PreparedSQL(
        """
        SELECT a.customer_id, i.id, i.number, i.status, i.total, i.amount_paid
        FROM billing_accounts a LEFT JOIN invoices i ON i.id = $2 AND i.customer_id = a.customer_id WHERE a.customer_id = $1
        """)

    /// `$1` amount, `$2` customer, `$3` invoice, `$4` ledger transaction, `$5` payment, `$6`/`$7` texts, `$8` time,
    /// `$9`…`$20` the three events (id, type, version, payload); `invoice.paid` is written only when it settles the
    /// invoice. Nothing but the balance `UPDATE` is written when the balance would go below minus the credit limit,
    /// and the caller throws, rolling it back.
    static let balancePaymentSQL = PreparedSQL(
        """
        WITH acct AS (
            UPDATE billing_accounts SET balance = balance - $1 WHERE customer_id = $2 AND balance - $1 >= -credit_limit RETURNING balance
        ),
        inv AS (
            UPDATE invoices SET amount_paid = amount_paid + $1, status = CASE WHEN total - amount_paid = $1 THEN 'paid' ELSE status END
            WHERE id = $3 AND customer_id = $2 AND status = 'issued' AND total - amount_paid >= $1 AND EXISTS (SELECT 1 FROM acct)
            RETURNING status
        ),
        ledger AS (
            INSERT INTO ledger_transactions (id, kind, customer_id, invoice_id, payment_id, description_ru, description_en, occurred_at)
            SELECT $4, 'charge', $2, $3, $5, $6, $7, $8 FROM inv
            RETURNING 1
        ),
        entries AS (
            INSERT INTO ledger_entries (transaction_id, account, customer_id, invoice_id, amount, balance_after)
            SELECT $4, 'customer', $2, CAST(NULL AS TEXT), -$1, acct.balance FROM acct, inv
            UNION ALL SELECT $4, 'receivable', $2, $3, $1, CAST(NULL AS BIGINT) FROM inv
            RETURNING 1
        ),
        payment AS (
            INSERT INTO payments (id, customer_id, invoice_id, amount, method, provider, status, refunded_amount, confirmation_url, reference,
                created_by, created_at, updated_at)
            SELECT $5, $2, $3, $1, 'balance', NULL, 'succeeded', 0, NULL, NULL, NULL, $8, $8 FROM inv
            RETURNING 1
        ),
        events AS (
            INSERT INTO outbox_events (id, type, version, occurred_at, payload, available_at)
            SELECT $9, $10, $11, $8, $12, 0 FROM inv
            UNION ALL SELECT $13, $14, $15, $8, $16, 0 FROM inv
            UNION ALL SELECT $17, $18, $19, $8, $20, 0 FROM inv WHERE inv.status = 'paid'
            RETURNING 1
        )
        SELECT (SELECT balance FROM acct) AS balance, (SELECT status FROM inv) AS status,
            (SELECT COUNT(*) FROM ledger) + (SELECT COUNT(*) FROM entries) + (SELECT COUNT(*) FROM payment) + (SELECT COUNT(*) FROM events)
                AS written
        """)
}
