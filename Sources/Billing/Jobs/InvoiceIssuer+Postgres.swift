import Contracts
import Foundation
import Kernel
import Storage

extension InvoiceIssuer {
    /// Customers in `(after, upTo]` whose period needs more than one plain piece (a pause, or a tariff change inside it);
    /// they go through the Swift path.
    func unusualCustomers(after: String, upTo: String?, in tx: any SQLExecutor) async throws -> [String] {
        try await tx.query(
            """
            SELECT DISTINCT s.customer_id FROM subscriptions s
            WHERE s.customer_id > $1 AND ($2 = '' OR s.customer_id <= $2) AND s.starts_on < $3 AND (s.ends_on IS NULL OR s.ends_on >= $4)
              AND (EXISTS (SELECT 1 FROM subscription_pauses p WHERE p.subscription_id = s.id AND p.starts_on < $3 AND p.ends_before > $4)
                OR EXISTS (SELECT 1 FROM subscription_tariffs t WHERE t.subscription_id = s.id
                           AND t.effective_from > GREATEST(s.starts_on, $4) AND t.effective_from < $3))
            ORDER BY s.customer_id
            """,
            after, upTo ?? "", period.endDay.dayNumber, period.firstDay.dayNumber
        ).map { try $0.string("customer_id") }
    }

    /// Issues the batch's plain invoices in one set-based statement: lines priced in SQL by the same rules as
    /// ``LinePricing`` (cumulative proration, half up; VAT extracted half up at the period's rate), invoices numbered
    /// from the counter, lines, one ledger transaction and the outbox events, all from `INSERT … SELECT`.
    func issueSetBased(after: String, upTo: String?, in tx: any SQLExecutor) async throws -> BatchResult {
        guard let row = try await tx.query(Self.setBasedSQL, setBasedBinds(after: after, upTo: upTo)).first else { return BatchResult() }
        return BatchResult(invoices: try row.int("invoices"), lines: try row.int("lines"), total: try row.int64("total"))
    }

    /// The binds of ``setBasedSQL`` for customers in `(after, upTo]`.
    func setBasedBinds(after: String, upTo: String?) -> [SQLValue] {
        let rate = VATRate.rate(onTaxDay: period.firstDay)
        return [
            .text(after), .text(upTo ?? ""), .integer(Int64(period.firstDay.dayNumber)), .integer(Int64(period.endDay.dayNumber)),
            .text(period.description), .integer(Int64(period.dayCount)), .integer(rate.numerator),
            .integer(rate.numerator + rate.denominator), now.sqlValue, .integer(Int64(dueOn.dayNumber)), .text(runID),
            .integer(rate.numerator * 100 / rate.denominator),
            .text(Identifier<LedgerPosting>.generate().rawValue), .text(currency.code), .text(dueOn.description),
        ]
    }

    /// The batch statement: `$1`/`$2` the customer range, `$3`/`$4` the period's first and end day, `$5` the period.
    static let setBasedSQL = """
        WITH base AS (
            SELECT s.id AS subscription_id, s.customer_id, GREATEST(s.starts_on, $3) AS first_day,
                GREATEST(s.starts_on, $3) - $3 AS start_off, LEAST(COALESCE(s.ends_on + 1, $4), $4) - $3 AS end_off
            FROM subscriptions s
            WHERE s.customer_id > $1 AND ($2 = '' OR s.customer_id <= $2) AND s.starts_on < $4 AND (s.ends_on IS NULL OR s.ends_on >= $3)
              AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = s.customer_id AND i.period = $5)
        ),
        priced AS (
            SELECT b.subscription_id, b.customer_id, st.tariff_id, t.name_ru, t.name_en, t.vat AS vat_kind, b.end_off - b.start_off AS days,
                (tp.monthly_price * b.end_off * 2 + $6) / ($6 * 2) - (tp.monthly_price * b.start_off * 2 + $6) / ($6 * 2) AS amount
            FROM base b
            JOIN LATERAL (SELECT x.tariff_id FROM subscription_tariffs x WHERE x.subscription_id = b.subscription_id AND x.effective_from <= b.first_day
                          ORDER BY x.effective_from DESC LIMIT 1) st ON TRUE
            JOIN tariffs t ON t.id = st.tariff_id
            JOIN LATERAL (SELECT p.monthly_price FROM tariff_prices p WHERE p.tariff_id = st.tariff_id AND p.effective_from <= b.first_day
                          ORDER BY p.effective_from DESC LIMIT 1) tp ON TRUE
            WHERE b.end_off > b.start_off
        ),
        lines AS (
            SELECT p.*, CASE WHEN p.vat_kind = 'standard' THEN (p.amount * $7 * 2 + $8) / ($8 * 2) ELSE 0 END AS vat FROM priced p
        ),
        customers AS (
            SELECT customer_id, SUM(amount) AS total, SUM(vat) AS vat, ROW_NUMBER() OVER (ORDER BY customer_id) AS rn
            FROM lines GROUP BY customer_id
        ),
        counter AS (
            UPDATE invoice_counters SET last_number = last_number + (SELECT COUNT(*) FROM customers) WHERE period = $5
            RETURNING last_number - (SELECT COUNT(*) FROM customers) AS base
        ),
        inv AS (
            INSERT INTO invoices (id, number, customer_id, period, status, total, vat, amount_paid, issued_at, due_on, run_id)
            SELECT gen_random_uuid()::text, $5 || '-' || lpad((counter.base + c.rn)::text, 6, '0'), c.customer_id, $5, 'issued', c.total, c.vat,
                0, $9, $10, $11
            FROM customers c CROSS JOIN counter
            RETURNING id, number, customer_id, total, vat
        ),
        inserted_lines AS (
            INSERT INTO invoice_lines (invoice_id, subscription_id, period, tariff_id, description_ru, description_en, days, period_days, amount, vat,
                vat_rate_percent)
            SELECT inv.id, l.subscription_id, $5, l.tariff_id,
                'Тариф «' || l.name_ru || '», ' || $5 || ': ' || l.days || ' из ' || $6 || ' дн.',
                'Tariff “' || l.name_en || '”, ' || $5 || ': ' || l.days || ' of ' || $6 || ' days',
                l.days, $6, l.amount, l.vat, CASE WHEN l.vat_kind = 'standard' THEN $12 ELSE NULL END
            FROM lines l JOIN inv ON inv.customer_id = l.customer_id
            RETURNING 1
        ),
        ledger AS (
            INSERT INTO ledger_transactions (id, kind, customer_id, invoice_id, payment_id, description_ru, description_en, occurred_at)
            SELECT $13, 'invoice', NULL, NULL, NULL, 'Счета за ' || $5, 'Invoices for ' || $5, $9 WHERE EXISTS (SELECT 1 FROM inv)
            RETURNING 1
        ),
        entries AS (
            INSERT INTO ledger_entries (transaction_id, account, customer_id, invoice_id, amount, balance_after)
            SELECT $13, 'receivable', customer_id, id, -total, CAST(NULL AS BIGINT) FROM inv
            UNION ALL SELECT $13, 'revenue', NULL, NULL, SUM(total - vat), NULL FROM inv HAVING COUNT(*) > 0
            UNION ALL SELECT $13, 'vat_payable', NULL, NULL, SUM(vat), NULL FROM inv HAVING COUNT(*) > 0
            RETURNING 1
        ),
        events AS (
            INSERT INTO outbox_events (id, type, version, occurred_at, payload, available_at)
            SELECT gen_random_uuid()::text, 'invoice.created', 1, $9,
                json_build_object('invoiceId', id, 'customerId', customer_id, 'number', number, 'period', $5,
                    'total', json_build_object('amount', total, 'currency', $14), 'dueOn', $15)::text, 0
            FROM inv
            RETURNING 1
        )
        SELECT (SELECT COUNT(*) FROM inv) AS invoices, (SELECT COUNT(*) FROM inserted_lines) AS lines,
            CAST((SELECT COALESCE(SUM(total), 0) FROM inv) AS BIGINT) AS total,
            (SELECT COUNT(*) FROM ledger) + (SELECT COUNT(*) FROM entries) + (SELECT COUNT(*) FROM events) AS written
        """
}
