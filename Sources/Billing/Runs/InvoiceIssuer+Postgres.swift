import Contracts
import Foundation
import Kernel
import Storage

extension InvoiceIssuer {
    /// Customers in `(after, upTo]` whose period needs more than one plain piece (a pause, a suspension, a tariff
    /// change, or a price change of one of `repriced` tariffs inside it); they are priced in Swift by ``LinePricing``.
    func unusualCustomers(after: String, upTo: String?, repriced: [String], in tx: any SQLExecutor) async throws -> [String] {
        var binds: [SQLValue] = [
            .text(after), .text(upTo ?? ""), .integer(Int64(period.endDay.dayNumber)), .integer(Int64(period.firstDay.dayNumber)),
        ]
        var priceChange = ""
        if !repriced.isEmpty {
            binds.append(.text(try Self.json(repriced)))
            priceChange = """
                 OR EXISTS (SELECT 1 FROM subscription_tariffs t WHERE t.subscription_id = s.id AND t.effective_from < $3
                           AND t.tariff_id IN (SELECT value FROM json_array_elements_text($5::json)))
                """
        }
        return try await tx.query(
            """
            SELECT DISTINCT s.customer_id FROM subscriptions s
            WHERE s.customer_id > $1 AND ($2 = '' OR s.customer_id <= $2) AND s.starts_on < $3 AND (s.ends_on IS NULL OR s.ends_on >= $4)
              AND (EXISTS (SELECT 1 FROM subscription_pauses p WHERE p.subscription_id = s.id AND p.starts_on < $3 AND p.ends_before > $4)
                OR EXISTS (SELECT 1 FROM subscription_suspensions u WHERE u.subscription_id = s.id AND u.starts_on < $3
                           AND (u.ends_before IS NULL OR u.ends_before > $4))
                OR EXISTS (SELECT 1 FROM subscription_tariffs t WHERE t.subscription_id = s.id
                           AND t.effective_from > GREATEST(s.starts_on, $4) AND t.effective_from < $3)\(priceChange))
            ORDER BY s.customer_id
            """,
            binds
        ).map { try $0.string("customer_id") }
    }

    /// Issues the batch's invoices in one set-based statement: plain lines priced in SQL by the same rules as
    /// ``LinePricing`` (cumulative proration, half up; VAT extracted half up at the period's rate), the lines of
    /// `unusual` customers priced in Swift and passed in as JSON; invoices numbered from the counter, lines, one ledger
    /// transaction and the outbox events, all from `INSERT … SELECT`.
    ///
    /// Without `reserve` the statement advances the period's counter row itself, which holds that row's lock until the
    /// batch commits. With it, the batch counts its invoices first and `reserve` takes that many numbers outside the
    /// transaction (returning the number before the first), so batches on several connections do not queue on the row.
    func issueSetBased(
        after: String, upTo: String?, unusual: [String], priced: [(customerID: String, lines: [PricedLine])],
        reserve: (@Sendable (Int) async throws -> Int64)? = nil, in tx: any SQLExecutor
    ) async throws -> BatchResult {
        var binds = try setBasedBinds(after: after, upTo: upTo, unusual: unusual, priced: priced)
        if let reserve {
            let countBinds = Array(binds[0..<8]) + [binds[11], binds[15], binds[16]]
            let count = try await tx.query(Self.countSQL, countBinds).first?.int("n") ?? 0
            guard count > 0 else { return BatchResult() }
            binds += [.integer(try await reserve(count)), .integer(Int64(count))]
        }
        guard let row = try await tx.query(reserve == nil ? Self.counterSQL : Self.reservedSQL, binds).first else { return BatchResult() }
        return BatchResult(invoices: try row.int("invoices"), lines: try row.int("lines"), total: try row.int64("total"))
    }

    /// The batch statement advancing the counter row itself.
    static let counterSQL = setBasedSQL(reserved: false)
    /// The batch statement numbering from a reservation.
    static let reservedSQL = setBasedSQL(reserved: true)

    /// The binds of ``setBasedSQL`` for customers in `(after, upTo]`.
    func setBasedBinds(after: String, upTo: String?, unusual: [String], priced: [(customerID: String, lines: [PricedLine])]) throws
        -> [SQLValue]
    {
        let rate = VATRate.rate(onTaxDay: period.firstDay)
        return [
            .text(after), .text(upTo ?? ""), .integer(Int64(period.firstDay.dayNumber)), .integer(Int64(period.endDay.dayNumber)),
            .text(period.description), .integer(Int64(period.dayCount)), .integer(rate.numerator),
            .integer(rate.numerator + rate.denominator), now.sqlValue, .integer(Int64(dueOn.dayNumber)), .text(runID),
            .integer(rate.numerator * 100 / rate.denominator),
            .text(Identifier<LedgerPosting>.generate().rawValue), .text(currency.code), .text(dueOn.description),
            .text(try Self.linesJSON(priced)), .text(try Self.json(unusual)), .text(OrderedID.prefix()), .text(OrderedID.prefix()),
        ]
    }

    /// Lines priced in Swift as a JSON array of objects, read back by `json_to_recordset` (keys in snake case).
    static func linesJSON(_ customers: [(customerID: String, lines: [PricedLine])]) throws -> String {
        try json(
            customers.flatMap { customer in
                customer.lines.map {
                    SwiftPricedLine(
                        subscriptionId: $0.subscriptionID, customerId: customer.customerID, tariffId: $0.tariffID, descriptionRu: $0.description.ru,
                        descriptionEn: $0.description.en, days: $0.days, amount: $0.amount, vat: $0.vat, vatRatePercent: $0.vatRatePercent)
                }
            })
    }

    /// `value` as JSON text, keys in snake case.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The statement's common table expressions up to `customers` (a batch's lines, and its invoices' totals and
    /// ranks), with the parameter numbers of the VAT percent and the Swift-priced lines given.
    static func pricedCTEs(vatPercent: String, swiftLines: String, swiftCustomers: String) -> String {
        """
        WITH unusual AS (SELECT value AS customer_id FROM json_array_elements_text(\(swiftCustomers)::json)),
        base AS (
            SELECT s.id AS subscription_id, s.customer_id, GREATEST(s.starts_on, $3) AS first_day,
                GREATEST(s.starts_on, $3) - $3 AS start_off, LEAST(COALESCE(s.ends_on + 1, $4), $4) - $3 AS end_off
            FROM subscriptions s
            WHERE s.customer_id > $1 AND ($2 = '' OR s.customer_id <= $2) AND s.starts_on < $4 AND (s.ends_on IS NULL OR s.ends_on >= $3)
              AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = s.customer_id AND i.period = $5
                              AND i.customer_id > $1 AND ($2 = '' OR i.customer_id <= $2))
              AND NOT EXISTS (SELECT 1 FROM subscription_charges c WHERE c.subscription_id = s.id AND c.period = $5)
              AND s.customer_id NOT IN (SELECT customer_id FROM unusual)
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
            SELECT p.subscription_id, p.customer_id, p.tariff_id, p.days, p.amount,
                CASE WHEN p.vat_kind = 'standard' THEN (p.amount * $7 * 2 + $8) / ($8 * 2) ELSE 0 END AS vat,
                CASE WHEN p.vat_kind = 'standard' THEN \(vatPercent) ELSE NULL END AS vat_rate_percent,
                'Тариф «' || p.name_ru || '», ' || $5 || ': ' || p.days || ' из ' || $6 || ' дн.' AS description_ru,
                'Tariff “' || p.name_en || '”, ' || $5 || ': ' || p.days || ' of ' || $6 || ' days' AS description_en
            FROM priced p
            UNION ALL
            SELECT x.subscription_id, x.customer_id, x.tariff_id, x.days, x.amount, x.vat, x.vat_rate_percent, x.description_ru, x.description_en
            FROM json_to_recordset(\(swiftLines)::json) AS x(subscription_id TEXT, customer_id TEXT, tariff_id TEXT, description_ru TEXT,
                description_en TEXT, days INTEGER, amount BIGINT, vat BIGINT, vat_rate_percent INTEGER)
            WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = x.customer_id AND i.period = $5
                              AND i.customer_id > $1 AND ($2 = '' OR i.customer_id <= $2))
              AND NOT EXISTS (SELECT 1 FROM subscription_charges c WHERE c.subscription_id = x.subscription_id AND c.period = $5)
        ),
        customers AS (
            SELECT customer_id, SUM(amount) AS total, SUM(vat) AS vat, ROW_NUMBER() OVER (ORDER BY customer_id) AS rn
            FROM lines GROUP BY customer_id
        )
        """
    }

    /// The batch statement: `$1`/`$2` the customer range, `$3`/`$4` the period's first and end day, `$5` the period,
    /// `$16` the Swift-priced lines, `$17` the customers they cover, `$18`/`$19` id prefixes for invoices and events;
    /// with `reserved`, `$20` is the number before the batch's first and `$21` how many were reserved (a different
    /// count of invoices leaves a number `NULL`, which fails the statement), else the counter row is advanced here.
    ///
    /// Only customers without an invoice of the period get one, and only subscriptions not charged for the period
    /// already (`subscription_charges`: one that started after its period was run), so a repeated batch writes nothing.
    /// The invoice check repeats the batch's customer range, so whichever join the planner picks reads only the batch's
    /// part of the `(customer_id, period)` index, never every invoice of the period (which grew quadratically).
    /// Numbers have six digits or more (`lpad` alone would cut a seventh, as ``InvoiceNumber`` does not). Ids are
    /// time-ordered UUIDs (a per-batch prefix and the row's rank), so the primary keys grow at their right edge; the
    /// event payload is an ``InvoiceCreated`` built by `json_build_object` (`BillingRunTests` decodes every one).
    static func setBasedSQL(reserved: Bool) -> String {
        let counter =
            reserved
            ? "counter AS (SELECT CAST($20 AS BIGINT) AS base, CAST($21 AS BIGINT) AS expected)"
            : """
            counter AS (
                UPDATE invoice_counters SET last_number = last_number + (SELECT COUNT(*) FROM customers) WHERE period = $5
                RETURNING last_number - (SELECT COUNT(*) FROM customers) AS base, CAST(NULL AS BIGINT) AS expected
            )
            """
        let writes = """
            inv AS (
                INSERT INTO invoices (id, number, customer_id, period, status, total, vat, amount_paid, issued_at, due_on, run_id)
                SELECT $18 || lpad(to_hex(c.rn), 12, '0'), CASE WHEN counter.expected IS NULL OR counter.expected = (SELECT COUNT(*) FROM customers)
                    THEN $5 || '-' || lpad((counter.base + c.rn)::text, GREATEST(6, length((counter.base + c.rn)::text)), '0') END,
                    c.customer_id, $5, 'issued',
                    c.total, c.vat, 0, $9, $10, $11
                FROM customers c CROSS JOIN counter
                RETURNING id, number, customer_id, total, vat
            ),
            inserted_lines AS (
                INSERT INTO invoice_lines (invoice_id, subscription_id, period, tariff_id, description_ru, description_en, days, period_days, amount, vat,
                    vat_rate_percent)
                SELECT inv.id, l.subscription_id, $5, l.tariff_id, l.description_ru, l.description_en, l.days, $6, l.amount, l.vat, l.vat_rate_percent
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
                SELECT $19 || right(id, 12), '\(InvoiceCreated.type)', \(InvoiceCreated.version), $9,
                    CAST(json_build_object('invoiceId', id, 'customerId', customer_id, 'number', number, 'period', $5,
                        'total', json_build_object('amount', total, 'currency', $14), 'dueOn', $15) AS TEXT), 0
                FROM inv
                RETURNING 1
            )
            SELECT (SELECT COUNT(*) FROM inv) AS invoices, (SELECT COUNT(*) FROM inserted_lines) AS lines,
                CAST((SELECT COALESCE(SUM(total), 0) FROM inv) AS BIGINT) AS total,
                (SELECT COUNT(*) FROM ledger) + (SELECT COUNT(*) FROM entries) + (SELECT COUNT(*) FROM events) AS written
            """
        return pricedCTEs(vatPercent: "$12", swiftLines: "$16", swiftCustomers: "$17") + ",\n" + counter + ",\n" + writes
    }

    /// How many invoices the batch statement would write: the same lines, counted (binds: the first eight of the
    /// statement's, then the VAT percent and the Swift-priced lines and customers).
    static let countSQL = pricedCTEs(vatPercent: "$9", swiftLines: "$10", swiftCustomers: "$11") + "\nSELECT COUNT(*) AS n FROM customers"
}

/// Time-ordered UUID texts (version 7 layout): a prefix with the current millisecond and random bits, completed by
/// 12 hex digits of a counter, so rows inserted together sort together and after earlier ones.
enum OrderedID {
    /// `tttttttt-tttt-7rrr-vrrr-`: 48 bits of milliseconds since 1970, version 7, 26 random bits, the RFC 4122 variant.
    static func prefix(at date: Date = Date()) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let time = String(millis & 0xFFFF_FFFF_FFFF, radix: 16)
        let padded = String(repeating: "0", count: max(0, 12 - time.count)) + time
        let a = UInt16.random(in: 0...0xFFF)
        let b = UInt16.random(in: 0...0x3FFF) | 0x8000
        let hexA = String(a, radix: 16)
        let hexB = String(b, radix: 16)
        return padded.prefix(8) + "-" + padded.suffix(4) + "-7" + String(repeating: "0", count: 3 - hexA.count) + hexA + "-" + hexB + "-"
    }

    /// A complete id: the prefix and `sequence` as 12 hex digits.
    static func make(prefix: String, sequence: Int) -> String {
        let hex = String(sequence, radix: 16)
        return prefix + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }
}

/// A line priced in Swift, as ``InvoiceIssuer/linesJSON(_:)`` passes it to the batch statement.
private struct SwiftPricedLine: Encodable {
    let subscriptionId: String
    let customerId: String
    let tariffId: String
    let descriptionRu: String
    let descriptionEn: String
    let days: Int
    let amount: Int64
    let vat: Int64
    let vatRatePercent: Int?
}
