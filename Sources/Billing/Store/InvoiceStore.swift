import Contracts
import Foundation
import Kernel
import Storage

/// The `invoices` and `invoice_lines` tables.
enum InvoiceStore {
    static let columns = "id, number, customer_id, period, status, total, vat, amount_paid, issued_at, due_on"

    static func invoice(_ row: SQLRow, currency: Currency) throws -> Invoice {
        let record = try row.decode(InvoiceRow.self)
        return Invoice(
            id: record.id, number: record.number, customerId: record.customerID, period: record.period, status: record.status,
            total: Money(minorUnits: record.total, currency: currency), vat: Money(minorUnits: record.vat, currency: currency),
            amountDue: Money(minorUnits: record.total - record.amountPaid, currency: currency), issuedAt: record.issuedAt,
            dueOn: LocalDate(dayNumber: record.dueOn))
    }

    /// The columns of ``columns``.
    private struct InvoiceRow: Decodable {
        var id: String
        var number: String
        var customerID: String
        var period: BillingPeriod
        var status: InvoiceStatus
        var total: Int64
        var vat: Int64
        var amountPaid: Int64
        var issuedAt: Date
        var dueOn: Int
    }

    /// The columns of an invoice line.
    private struct LineRow: Decodable {
        var subscriptionID: String
        var tariffID: String
        var descriptionRu: String
        var descriptionEn: String
        var days: Int
        var periodDays: Int
        var amount: Int64
        var vat: Int64
        var vatRatePercent: Int?
    }

    /// A customer's invoices, newest number first, after the cursor (a number).
    static func list(customerID: String, page: PageRequest, currency: Currency, in executor: any SQLExecutor) async throws -> Page<Invoice> {
        let rows = try await executor.query(
            """
            SELECT \(columns) FROM invoices WHERE customer_id = $1 AND ($2 = '' OR number < $2) ORDER BY number DESC LIMIT $3
            """,
            customerID, page.cursor ?? "", page.limit + 1)
        let invoices = try rows.prefix(page.limit).map { try invoice($0, currency: currency) }
        return Page(items: invoices, nextCursor: rows.count > page.limit ? invoices.last?.number : nil)
    }

    /// A page of the invoices of the account of user `userID`, newest first, in one statement; `nil` without an account.
    static func list(userID: String, page: PageRequest, currency: Currency, in executor: any SQLExecutor) async throws -> Page<Invoice>? {
        let rows = try await executor.query(listOfUserSQL, userID, page.cursor ?? "", page.limit + 1)
        guard !rows.isEmpty else { return nil }
        let invoices = try rows.filter { try $0.optionalString("id") != nil }.prefix(page.limit).map { try invoice($0, currency: currency) }
        return Page(items: invoices, nextCursor: rows.count > page.limit ? invoices.last?.number : nil)
    }

    /// The account's row joined with its invoices after cursor `$2` (`''` for the first page), at most `$3`: one row
    /// with `NULL` invoice columns when there are none; no row without an account.
    static let listOfUserSQL = PreparedSQL(
        """
        SELECT i.id, i.number, i.customer_id, i.period, i.status, i.total, i.vat, i.amount_paid, i.issued_at, i.due_on
        FROM billing_accounts a
        LEFT JOIN invoices i ON i.customer_id = a.customer_id AND ($2 = '' OR i.number < $2)
        WHERE a.user_id = $1
        ORDER BY i.number DESC LIMIT $3
        """)

    /// One invoice of a customer.
    static func find(id: String, customerID: String?, currency: Currency, in executor: any SQLExecutor) async throws -> Invoice? {
        let rows =
            if let customerID {
                try await executor.query("SELECT \(columns) FROM invoices WHERE id = $1 AND customer_id = $2", id, customerID)
            } else {
                try await executor.query("SELECT \(columns) FROM invoices WHERE id = $1", id)
            }
        return try rows.first.map { try invoice($0, currency: currency) }
    }

    /// The invoice's lines in `locale`, and its payments.
    static func detail(_ invoice: Invoice, locale: String, currency: Currency, in executor: any SQLExecutor) async throws -> InvoiceDetail {
        let lines = try await executor.query(
            """
            SELECT subscription_id, tariff_id, description_ru, description_en, days, period_days, amount, vat, vat_rate_percent
            FROM invoice_lines WHERE invoice_id = $1 ORDER BY subscription_id
            """, invoice.id
        ).map { row in
            let line = try row.decode(LineRow.self)
            return InvoiceLine(
                subscriptionId: line.subscriptionID, tariffId: line.tariffID,
                description: LocalizedText(ru: line.descriptionRu, en: line.descriptionEn).text(for: locale), days: line.days,
                periodDays: line.periodDays, amount: Money(minorUnits: line.amount, currency: currency),
                vat: Money(minorUnits: line.vat, currency: currency), vatRatePercent: line.vatRatePercent)
        }
        let payments = try await executor.query("SELECT id FROM payments WHERE invoice_id = $1 ORDER BY created_at, id", invoice.id)
            .map { try $0.string("id") }
        return InvoiceDetail(invoice: invoice, lines: lines, paymentIds: payments)
    }

    /// Settles `amount` of an issued invoice; `nil` when it is not issued or owes less. Reports `invoice.paid` when it is settled.
    static func applyPayment(invoiceID: String, amount: Int64, currency: Currency, at time: Date, in tx: any SQLExecutor) async throws -> Invoice? {
        let rows = try await tx.query(
            """
            UPDATE invoices SET amount_paid = amount_paid + $1, status = CASE WHEN total - amount_paid = $1 THEN 'paid' ELSE status END
            WHERE id = $2 AND status = 'issued' AND total - amount_paid >= $1
            RETURNING \(columns)
            """,
            amount, invoiceID)
        guard let row = rows.first else { return nil }
        let invoice = try invoice(row, currency: currency)
        if invoice.status == .paid {
            try await Outbox.append(InvoicePaid(invoiceId: invoice.id, customerId: invoice.customerId, total: invoice.total), at: time, in: tx)
        }
        return invoice
    }
}
