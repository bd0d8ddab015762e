import Contracts
import Foundation
import Kernel
import Storage

/// What one batch of the monthly run did.
struct BatchResult: Sendable {
    var invoices = 0
    var lines = 0
    var total: Int64 = 0
}

/// Issues a period's invoices for a batch of customers, in the caller's transaction.
///
/// Both paths write the same rows: the invoice (numbered from the period's counter), its lines, one ledger
/// transaction for the batch (each invoice's receivable against revenue and VAT), and `invoice.created` per invoice.
/// A customer who has the period's invoice already is skipped, so a repeated or resumed run creates nothing twice.
struct InvoiceIssuer: Sendable {
    let period: BillingPeriod
    let runID: String
    let dueOn: LocalDate
    let currency: Currency
    let now: Date

    /// The lines of customers in `(after, upTo]`, computed in Swift, grouped by customer in id order.
    static func lines(
        customersAfter after: String, upTo: String?, period: BillingPeriod, tariffs: [String: PricedTariff], currency: Currency,
        in executor: any SQLExecutor
    ) async throws -> [(customerID: String, lines: [PricedLine])] {
        let terms = try await SubscriptionStore.terms(customersAfter: after, upTo: upTo, period: period, in: executor)
        return try group(terms, period: period, tariffs: tariffs, currency: currency)
    }

    static func group(_ terms: [SubscriptionTerms], period: BillingPeriod, tariffs: [String: PricedTariff], currency: Currency) throws
        -> [(customerID: String, lines: [PricedLine])]
    {
        var result: [(customerID: String, lines: [PricedLine])] = []
        for subscription in terms {
            guard let line = try LinePricing.line(for: subscription, in: period, tariffs: tariffs, currency: currency) else { continue }
            if result.last?.customerID == subscription.customerID {
                result[result.count - 1].lines.append(line)
            } else {
                result.append((subscription.customerID, [line]))
            }
        }
        return result
    }

    /// Issues invoices for customers' computed lines, row by row (SQLite, and unusual customers on PostgreSQL).
    func issue(_ customers: [(customerID: String, lines: [PricedLine])], in tx: any SQLExecutor) async throws -> BatchResult {
        guard !customers.isEmpty else { return BatchResult() }
        let placeholders = (0..<customers.count).map { "$\($0 + 2)" }.joined(separator: ", ")
        let invoiced = Set(
            try await tx.query(
                "SELECT customer_id FROM invoices WHERE period = $1 AND customer_id IN (\(placeholders))",
                [.text(period.description)] + customers.map { .text($0.customerID) }
            ).map { try $0.string("customer_id") })
        let fresh = customers.filter { !invoiced.contains($0.customerID) }
        guard !fresh.isEmpty else { return BatchResult() }
        let last = try await tx.first(
            "UPDATE invoice_counters SET last_number = last_number + $1 WHERE period = $2 RETURNING last_number", fresh.count, period.description)
        guard let last else { throw BillingError.conflict(reason: "the period's invoice counter is missing") }
        var sequence = try last.int64("last_number") - Int64(fresh.count)
        var result = BatchResult()
        var entries: [LedgerEntryDraft] = []
        var revenue: Int64 = 0
        var vat: Int64 = 0
        for customer in fresh {
            sequence += 1
            let id = Identifier<Invoice>.generate().rawValue
            let number = InvoiceNumber.format(period: period, sequence: sequence)
            let total = customer.lines.reduce(0) { $0 + $1.amount }
            let invoiceVAT = customer.lines.reduce(0) { $0 + $1.vat }
            try await tx.query(
                """
                INSERT INTO invoices (id, number, customer_id, period, status, total, vat, amount_paid, issued_at, due_on, run_id)
                VALUES ($1, $2, $3, $4, 'issued', $5, $6, 0, $7, $8, $9)
                """,
                id, number, customer.customerID, period.description, total, invoiceVAT, now, dueOn.dayNumber, runID)
            for line in customer.lines {
                try await tx.query(
                    """
                    INSERT INTO invoice_lines (invoice_id, subscription_id, period, tariff_id, description_ru, description_en, days, period_days,
                        amount, vat, vat_rate_percent)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                    """,
                    id, line.subscriptionID, period.description, line.tariffID, line.description.ru, line.description.en, line.days, line.periodDays,
                    line.amount, line.vat, line.vatRatePercent)
            }
            entries.append(LedgerEntryDraft(.receivable, -total, invoiceID: id, customerID: customer.customerID))
            revenue += total - invoiceVAT
            vat += invoiceVAT
            try await Outbox.append(
                InvoiceCreated(
                    invoiceId: id, customerId: customer.customerID, number: number, period: period,
                    total: Money(minorUnits: total, currency: currency),
                    dueOn: dueOn), at: now, in: tx)
            result.invoices += 1
            result.lines += customer.lines.count
            result.total += total
        }
        entries += [LedgerEntryDraft(.revenue, revenue), LedgerEntryDraft(.vatPayable, vat)]
        try await LedgerStore.post(
            LedgerPosting(
                kind: "invoice", customerID: nil, description: LocalizedText(ru: "Счета за \(period)", en: "Invoices for \(period)"), entries: entries
            ),
            at: now, in: tx)
        return result
    }
}
