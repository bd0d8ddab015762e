import Contracts
import Foundation
import Kernel
import Storage

/// What paying an invoice from the balance writes, made once in Swift for both ways of writing it: the ``Payment``
/// (also the request's answer), the ledger posting and the events, with their ids and time.
///
/// The transaction reads the invoice first and makes it from the values read. PostgreSQL's one statement makes it
/// before reading anything, with ``Unread`` stand-ins where the customer, the amount, the invoice's number and total
/// go; the statement puts in the values it read (``filled(_:)``), so SQL adds no key, quote or format of its own.
struct BalancePayment {
    let payment: Payment
    let posting: LedgerPosting
    /// `payment.created` and `payment.succeeded`.
    let events: [EventEnvelope]
    /// `invoice.paid`, written when the payment settles the invoice (by ``InvoiceStore`` in the transaction).
    let settled: EventEnvelope

    init(customerID: String, invoiceID: String, number: String, total: Money, amount: Money, at now: Date) throws {
        let id = Identifier<Payment>.generate().rawValue
        payment = Payment(
            id: id, customerId: customerID, invoiceId: invoiceID, amount: amount, method: .balance, provider: nil, status: .succeeded,
            refundedAmount: Money(minorUnits: 0, currency: amount.currency), confirmationURL: nil, createdAt: now)
        posting = LedgerPosting(
            kind: AccountTransaction.Kind.charge.rawValue, customerID: customerID, invoiceID: invoiceID, paymentID: id,
            description: LocalizedText(ru: "Оплата счёта \(number) с баланса", en: "Invoice \(number) paid from the balance"),
            entries: [LedgerEntryDraft(.customer, -amount.minorUnits), LedgerEntryDraft(.receivable, amount.minorUnits, invoiceID: invoiceID)],
            floor: .creditLimit)
        events = [try EventEnvelope(PaymentCreated(payment), at: now), try EventEnvelope(PaymentSucceeded(payment), at: now)]
        settled = try EventEnvelope(InvoicePaid(invoiceId: invoiceID, customerId: customerID, total: total), at: now)
    }

    /// Stand-ins for what only the one statement reads: text no id or number can hold, and amounts no money reaches.
    enum Unread {
        static let customerID = "lastmile_unread_customer_id"
        static let number = "lastmile_unread_number"
        static let amount: Int64 = -7_000_000_000_000_000_001
        static let total: Int64 = -7_000_000_000_000_000_002
    }

    /// SQL putting the values of `payable p` into the Swift-made `text` in place of ``Unread``'s stand-ins (the
    /// customer's id as a JSON string: it is read only inside JSON).
    static func filled(_ text: String) -> String {
        """
        replace(replace(replace(replace(\(text), '"\(Unread.customerID)"', CAST(to_json(p.customer_id) AS TEXT)), '\(Unread.number)', p.number),
                '\(Unread.amount)', CAST(p.amount AS TEXT)), '\(Unread.total)', CAST(p.total AS TEXT))
        """
    }
}

extension BillingService {
    /// Pays an invoice from the balance in the transaction `tx`, step by step: SQLite's way, and PostgreSQL's when
    /// its one statement cannot settle the request alone.
    func payFromBalance(customerID: String, invoiceID: String, amount requested: Money?, in tx: any SQLExecutor) async throws -> Payment {
        let now = clock.now()
        guard let invoice = try await InvoiceStore.find(id: invoiceID, customerID: customerID, currency: settings.currency, in: tx) else {
            throw BillingError.notFound
        }
        let amount = try payableAmount(of: invoice, requested: requested)
        let plan = try BalancePayment(
            customerID: customerID, invoiceID: invoiceID, number: invoice.number, total: invoice.total, amount: money(amount), at: now)
        try await LedgerStore.post(plan.posting, at: now, in: tx)
        guard try await InvoiceStore.applyPayment(invoiceID: invoiceID, amount: amount, currency: settings.currency, at: now, in: tx) != nil else {
            throw BillingError.invoiceNotPayable(status: "paid")
        }
        try await PaymentStore.insert(plan.payment, reference: nil, createdBy: nil, in: tx)
        for event in plan.events { try await Outbox.append(event, in: tx) }
        return plan.payment
    }

    /// The same payment as PostgreSQL's one statement (``balancePaymentSQL(owner:)``), with its binds: the request
    /// whole, key and answer included, in one round trip and one commit.
    func balancePaymentStatement(owner: AccountOwner, invoiceID: String, amount requested: Money?) throws -> (IdempotentSQL, [SQLValue]) {
        let now = clock.now()
        let unread = BalancePayment.Unread.self
        let plan = try BalancePayment(
            customerID: unread.customerID, invoiceID: invoiceID, number: unread.number, total: money(unread.total), amount: money(unread.amount),
            at: now)
        let events = plan.events + [plan.settled]
        var settling = PostgresArrayLiteral()
        for event in events { settling.append(event.id == plan.settled.id) }
        let answer = try BillingIdempotency.answerEncoder.encode(plan.payment)
        let binds: [SQLValue] = [
            requested.map { .integer($0.minorUnits) } ?? .null, .text(owner.id), .text(invoiceID),
            .text(Identifier<LedgerPosting>.generate().rawValue), .text(plan.payment.id), now.sqlValue, .text(plan.posting.kind),
            .text(plan.posting.description.ru), .text(plan.posting.description.en), .text(plan.payment.method.rawValue),
            .text(plan.payment.status.rawValue), .integer(plan.payment.refundedAmount.minorUnits), PostgresArrayLiteral.text(events.map(\.id)),
            PostgresArrayLiteral.text(events.map(\.type)), PostgresArrayLiteral.bigint(events.map { Int64($0.version) }),
            PostgresArrayLiteral.text(events.map(\.payload)), .text(settling.literal), .text(String(decoding: answer, as: UTF8.self)),
            events[0].trace.map { .text($0.requestID) } ?? .null,
            events[0].trace.map { .text($0.traceparent.header) } ?? .null,
        ]
        return (owner.isUser ? Self.balancePaymentByUserSQL : Self.balancePaymentByCustomerSQL, binds)
    }

    /// ``balancePaymentSQL(owner:)`` for an owner given by user id.
    static let balancePaymentByUserSQL = balancePaymentSQL(owner: "user_id")

    /// ``balancePaymentSQL(owner:)`` for an owner given by customer id.
    static let balancePaymentByCustomerSQL = balancePaymentSQL(owner: "customer_id")

    /// The one statement of a balance payment, for Storage to wrap with the key. `$1` the amount (`NULL`: all that is
    /// due), `$2` the owner (`owner` names the `billing_accounts` column), `$3` the invoice, `$4` the ledger
    /// transaction, `$5` the payment, `$6` the time; then what ``BalancePayment`` made: `$7`…`$9` the posting's kind
    /// and texts, `$10`…`$12` the payment's method, status and refunded amount, `$13`…`$17` the events' ids, types,
    /// versions, payloads and whether each is written only when the payment settles the invoice, `$18` the answer,
    /// `$19` and `$20` the request that caused the events (`NULL` when none did).
    ///
    /// SQL decides only whether the payment happens: the invoice is payable (issued, `0 < amount ≤ due`) and the
    /// balance stays at or above minus the credit limit; otherwise it writes nothing and the transaction answers why.
    /// Should a payment of the same invoice commit while this one waits for the account, the balance alone would be
    /// taken: the statement raises `lastmile_conflict` instead, and the transaction answers that the invoice is paid.
    static func balancePaymentSQL(owner: String) -> IdempotentSQL {
        IdempotentSQL(
            with: """
                payable AS (
                    SELECT a.customer_id, i.id AS invoice_id, i.number, i.total, COALESCE(CAST($1 AS BIGINT), i.total - i.amount_paid) AS amount
                    FROM billing_accounts a JOIN invoices i ON i.id = $3 AND i.customer_id = a.customer_id
                    WHERE a.\(owner) = $2 AND i.status = 'issued'
                      AND COALESCE(CAST($1 AS BIGINT), i.total - i.amount_paid) BETWEEN 1 AND i.total - i.amount_paid
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
                    SELECT $4, $7, p.customer_id, p.invoice_id, $5, \(BalancePayment.filled("$8")), \(BalancePayment.filled("$9")), $6
                    FROM payable p, inv
                    RETURNING 1
                ),
                entries AS (
                    INSERT INTO ledger_entries (transaction_id, account, customer_id, invoice_id, amount, balance_after)
                    SELECT $4, '\(LedgerAccount.customer.name)', p.customer_id, CAST(NULL AS TEXT), -p.amount, acct.balance FROM payable p, acct, inv
                    UNION ALL SELECT $4, '\(LedgerAccount.receivable.name)', p.customer_id, p.invoice_id, p.amount, CAST(NULL AS BIGINT) FROM payable p, inv
                    RETURNING 1
                ),
                payment AS (
                    INSERT INTO payments (id, customer_id, invoice_id, amount, method, provider, status, refunded_amount, confirmation_url, reference,
                        created_by, created_at, updated_at)
                    SELECT $5, p.customer_id, p.invoice_id, p.amount, $10, NULL, $11, $12, NULL, NULL, NULL, $6, $6 FROM payable p, inv
                    RETURNING 1
                ),
                events AS (
                    INSERT INTO outbox_events (id, type, version, occurred_at, payload, available_at, request_id, traceparent)
                    SELECT e.id, e.type, e.version, $6, \(BalancePayment.filled("e.payload")), 0, CAST($19 AS TEXT), CAST($20 AS TEXT)
                    FROM payable p, inv, unnest(CAST($13 AS TEXT[]), CAST($14 AS TEXT[]), CAST($15 AS BIGINT[]), CAST($16 AS TEXT[]),
                        CAST($17 AS BOOLEAN[])) AS e(id, type, version, payload, settling)
                    WHERE inv.status = 'paid' OR NOT e.settling
                    RETURNING 1
                )
                """,
            answer: """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM inv) THEN \(BalancePayment.filled("$18"))
                    ELSE CAST(lastmile_conflict('the invoice was paid while this payment waited for the account') AS TEXT) END
                FROM payable p, acct
                """)
    }
}

extension AccountOwner {
    /// Whether the owner is given by user id (the `user_id` statement), not customer id.
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
