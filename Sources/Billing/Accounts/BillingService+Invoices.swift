import Contracts
import Foundation
import Kernel
import Storage

extension BillingService {
    /// The account's invoices, newest first.
    public func invoices(of owner: AccountOwner, page: PageRequest) async throws -> Page<Invoice> {
        if case .user(let userID) = owner {
            guard let invoices = try await InvoiceStore.list(userID: userID, page: page, currency: settings.currency, in: database) else {
                throw BillingError.notFound
            }
            return invoices
        }
        let customerID = try await AccountStore.customerID(of: owner, in: database)
        return try await InvoiceStore.list(customerID: customerID, page: page, currency: settings.currency, in: database)
    }

    /// One invoice with its lines, in the account's language.
    public func invoice(id: String, of owner: AccountOwner) async throws -> InvoiceDetail {
        let customerID = try await AccountStore.customerID(of: owner, in: database)
        guard let invoice = try await InvoiceStore.find(id: id, customerID: customerID, currency: settings.currency, in: database) else {
            throw BillingError.notFound
        }
        let locale = try await AccountStore.locale(customerID: customerID, in: database)
        return try await InvoiceStore.detail(invoice, locale: locale, currency: settings.currency, in: database)
    }

    /// Customers whose balance is below zero, most owed first; the cursor is `balance:customerId`.
    public func debtors(page: PageRequest) async throws -> Page<Debtor> {
        let parts = page.cursor?.split(separator: ":", maxSplits: 1).map(String.init) ?? []
        let (balance, customer) = parts.count == 2 ? (Int64(parts[0]) ?? Int64.min, parts[1]) : (Int64.min, "")
        let rows = try await database.query(
            """
            SELECT a.customer_id, a.balance, a.credit_limit,
                (SELECT COUNT(*) FROM invoices i WHERE i.customer_id = a.customer_id
                    AND (i.status = 'overdue' OR (i.status = 'issued' AND i.due_on < $1))) AS overdue,
                (SELECT MIN(i.due_on) FROM invoices i WHERE i.customer_id = a.customer_id
                    AND (i.status = 'overdue' OR (i.status = 'issued' AND i.due_on < $1))) AS oldest,
                (SELECT COUNT(*) FROM subscriptions s WHERE s.customer_id = a.customer_id AND s.status = 'suspended') AS suspended
            FROM billing_accounts a
            WHERE a.balance < 0 AND (a.balance > $2 OR (a.balance = $2 AND a.customer_id > $3))
            ORDER BY a.balance, a.customer_id LIMIT $4
            """,
            today.dayNumber, balance, customer, page.limit + 1)
        let debtors = try rows.prefix(page.limit).map { row in
            let debtor = try row.decode(DebtorRow.self)
            return Debtor(
                customerId: debtor.customerID, balance: money(debtor.balance), creditLimit: money(debtor.creditLimit),
                overdueInvoices: debtor.overdue, oldestDueOn: debtor.oldest.map { LocalDate(dayNumber: $0) }, isSuspended: debtor.suspended > 0)
        }
        let next = rows.count > page.limit ? debtors.last.map { "\($0.balance.minorUnits):\($0.customerId)" } : nil
        return Page(items: debtors, nextCursor: next)
    }
}

/// An account in debt with its overdue invoices (their count and the oldest due day) and suspended subscriptions.
private struct DebtorRow: Decodable {
    var customerID: String
    var balance: Int64
    var creditLimit: Int64
    var overdue: Int
    var oldest: Int?
    var suspended: Int
}
