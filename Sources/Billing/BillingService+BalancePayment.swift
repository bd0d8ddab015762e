import Contracts
import Foundation
import Kernel
import Storage

extension BillingService {
    /// Pays an invoice from the balance on PostgreSQL as one statement that also checks and saves the idempotency
    /// key (see ``balancePaymentSQL(owner:idempotent:)``): one round trip and one commit per payment.
    func balancePaymentStatement(owner: AccountOwner, invoiceID: String, amount requested: Money?) throws -> IdempotentStatement<Payment> {
        let now = clock.now()
        let paymentID = Identifier<Payment>.generate().rawValue
        // The time as the saved answer's JSON writes it (encoded inside an array, then unwrapped).
        let createdAt = String(decoding: try Self.answerEncoder.encode([now]).dropFirst().dropLast(), as: UTF8.self)
        return IdempotentStatement(
            sql: owner.isUser ? Self.idempotentBalancePaymentByUserSQL : Self.idempotentBalancePaymentByCustomerSQL,
            binds: balancePaymentBinds(owner: owner, invoiceID: invoiceID, amount: requested, paymentID: paymentID, at: now) + [.text(createdAt)],
            // Refused for want of money (nil), the request runs as a transaction, which tells the exact amount available:
            // the balance this statement's snapshot holds may be out of date by then.
            answer: { [self] row in try balancePayment(from: row, paymentID: paymentID, invoiceID: invoiceID, at: now) })
    }

    /// Pays an invoice from the balance on PostgreSQL in one statement of the transaction `tx`: the way a request
    /// goes whose key already has a row, or whose one statement lost a race.
    func payFromBalanceOnPostgres(owner: AccountOwner, invoiceID: String, amount requested: Money?, in tx: any SQLExecutor) async throws
        -> Payment
    {
        let now = clock.now()
        let paymentID = Identifier<Payment>.generate().rawValue
        let statement = owner.isUser ? Self.balancePaymentByUserSQL : Self.balancePaymentByCustomerSQL
        let binds = balancePaymentBinds(owner: owner, invoiceID: invoiceID, amount: requested, paymentID: paymentID, at: now)
        guard let row = try await tx.query(statement, binds).first else { throw BillingError.notFound }
        guard let payment = try balancePayment(from: row, paymentID: paymentID, invoiceID: invoiceID, at: now) else {
            let account = try await tx.first(
                "SELECT balance, credit_limit FROM billing_accounts WHERE customer_id = $1", try row.string("customer_id"))
            let available = try (account?.int64("balance") ?? 0) + (account?.int64("credit_limit") ?? 0)
            throw BillingError.insufficientFunds(available: money(max(0, available)))
        }
        return payment
    }

    private func balancePaymentBinds(owner: AccountOwner, invoiceID: String, amount requested: Money?, paymentID: String, at now: Date)
        -> [SQLValue]
    {
        [
            requested.map { .integer($0.minorUnits) } ?? .null, .text(owner.id), .text(invoiceID),
            .text(Identifier<LedgerPosting>.generate().rawValue), .text(paymentID), now.sqlValue, .text(settings.currency.code),
            .text(UUID().uuidString.lowercased()), .text(PaymentCreated.type), .integer(Int64(PaymentCreated.version)),
            .text(UUID().uuidString.lowercased()), .text(PaymentSucceeded.type), .integer(Int64(PaymentSucceeded.version)),
            .text(UUID().uuidString.lowercased()), .text(InvoicePaid.type), .integer(Int64(InvoicePaid.version)),
        ]
    }

    /// The payment the statement made, or why it made none, from its answer row; `nil` when the account lacked the
    /// money.
    private func balancePayment(from row: SQLRow, paymentID: String, invoiceID: String, at now: Date) throws -> Payment? {
        guard try row.optionalString("invoice_id") != nil else { throw BillingError.notFound }
        let customerID = try row.string("customer_id")
        let status = InvoiceStatus(rawValue: try row.string("invoice_status")) ?? .issued
        guard status == .issued else { throw BillingError.invoiceNotPayable(status: status.rawValue) }
        let (amount, due) = (try row.int64("amount"), try row.int64("due"))
        guard amount > 0, amount <= due else {
            throw BillingError.invalidField(field: "amount", reason: "must be positive and at most the amount due")
        }
        if try row.optionalInt64("balance") == nil { return nil }
        // Another payment settled the invoice between this statement's snapshot and its lock on the invoice (only in
        // a transaction, which this throw rolls back: the idempotent statement raises a conflict instead).
        guard try row.optionalString("paid_status") != nil else { throw BillingError.invoiceNotPayable(status: "paid") }
        return Payment(
            id: paymentID, customerId: customerID, invoiceId: invoiceID, amount: money(amount), method: .balance, provider: nil,
            status: .succeeded, refundedAmount: money(0), confirmationURL: nil, createdAt: now)
    }

    /// ``balancePaymentSQL(owner:idempotent:)`` in a transaction, for an owner given by user id.
    static let balancePaymentByUserSQL = PreparedSQL(balancePaymentSQL(owner: "user_id", idempotent: false))

    /// ``balancePaymentSQL(owner:idempotent:)`` in a transaction, for an owner given by customer id.
    static let balancePaymentByCustomerSQL = PreparedSQL(balancePaymentSQL(owner: "customer_id", idempotent: false))

    /// ``balancePaymentSQL(owner:idempotent:)`` on its own, for an owner given by user id.
    static let idempotentBalancePaymentByUserSQL = PreparedSQL(balancePaymentSQL(owner: "user_id", idempotent: true))

    /// ``balancePaymentSQL(owner:idempotent:)`` on its own, for an owner given by customer id.
    static let idempotentBalancePaymentByCustomerSQL = PreparedSQL(balancePaymentSQL(owner: "customer_id", idempotent: true))

    /// `$1` the amount (NULL: all that is due), `$2` the owner (`owner` names the `billing_accounts` column), `$3` the
    /// invoice, `$4` the ledger transaction, `$5` the payment, `$6` the time, `$7` the currency, then id, type and
    /// version of `payment.created` (`$8`…`$10`), `payment.succeeded` (`$11`…`$13`) and `invoice.paid` (`$14`…`$16`),
    /// which is written only when the payment settles the invoice.
    ///
    /// `target` is the account and its invoice; only a payable one (issued, `0 < amount ≤ due`) goes on. Nothing is
    /// written unless the balance stays at or above minus the credit limit. The answer row is `target` with `balance`
    /// (null: refused) and `paid_status`.
    ///
    /// Should a payment of the same invoice commit while this one waits for the account, the invoice is no longer
    /// payable and the balance alone is updated. In a transaction (`idempotent` false) the caller then throws and
    /// rolls it back. The `idempotent` statement is one request on its own (``IdempotentStatement``): it claims the
    /// key (`$18`…, after the payment's time as JSON in `$17`), saves the ``Payment`` as its answer, and raises
    /// `lastmile_conflict` in that case.
    static func balancePaymentSQL(owner: String, idempotent: Bool) -> String {
        let key = 18
        return """
            WITH \(idempotent ? IdempotencyKeys.claimCTE(parameter: key) + "," : "")
            target AS (
                SELECT a.customer_id, i.id AS invoice_id, i.number, i.status AS invoice_status,
                    i.total, i.total - i.amount_paid AS due, COALESCE(CAST($1 AS BIGINT), i.total - i.amount_paid) AS amount
                FROM billing_accounts a LEFT JOIN invoices i ON i.id = $3 AND i.customer_id = a.customer_id WHERE a.\(owner) = $2
            ),
            payable AS (
                SELECT * FROM target WHERE invoice_status = 'issued' AND amount > 0 AND amount <= due\(idempotent ? " AND " + IdempotencyKeys.claimed : "")
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
            )\(idempotent ? ",\n" + IdempotencyKeys.saveCTE(parameter: key, body: paymentAnswerSQL, from: "payable p, inv") : "")
            SELECT t.customer_id, t.invoice_id, t.invoice_status, t.due, t.amount,
                (SELECT balance FROM acct) AS balance, (SELECT status FROM inv) AS paid_status,
                (SELECT COUNT(*) FROM ledger) + (SELECT COUNT(*) FROM entries) + (SELECT COUNT(*) FROM payment) + (SELECT COUNT(*) FROM events)
                    AS written\(idempotent ? idempotentColumnsSQL : "\nFROM target t")
            """
    }

    /// The idempotent statement's own columns and relations: the key's, and the conflict it raises when the balance
    /// was taken but the invoice had been settled meanwhile.
    private static let idempotentColumnsSQL = """
        ,
            \(IdempotencyKeys.claimColumns),
            CASE WHEN (SELECT COUNT(*) FROM acct) <> (SELECT COUNT(*) FROM inv)
                THEN lastmile_conflict('the invoice was paid while this payment waited for the account') END AS conflict
        FROM \(IdempotencyKeys.claimRelation) LEFT JOIN target t ON TRUE
        """

    /// The ``Payment`` the idempotent statement saves as its answer, as `JSONEncoder` writes it (`$17` is the time).
    private static let paymentAnswerSQL = """
        '{"id":' || to_json(CAST($5 AS TEXT)) || ',"customerId":' || to_json(p.customer_id) || ',"invoiceId":' || to_json(p.invoice_id)
                || ',"amount":{"amount":' || p.amount || ',"currency":' || to_json(CAST($7 AS TEXT)) || '},"method":"balance","status":"succeeded"'
                || ',"refundedAmount":{"amount":0,"currency":' || to_json(CAST($7 AS TEXT)) || '},"createdAt":' || CAST($17 AS TEXT) || '}'
        """
}

extension AccountOwner {
    /// Whether the owner is given by user id (the `user_id` statements), not customer id.
    fileprivate var isUser: Bool {
        if case .user = self { return true }
        return false
    }

    /// The user or customer id.
    fileprivate var id: String {
        switch self {
        case .user(let id), .customer(let id): id
        }
    }
}
