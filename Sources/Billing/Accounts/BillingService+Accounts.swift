import Contracts
import Foundation
import Kernel
import Storage

extension BillingService {
    /// Opens the customer's account; calling it again for the same user changes nothing.
    public func openAccount(customerID: String, userID: String) async throws -> AccountBalance {
        guard !customerID.isEmpty else { throw BillingError.invalidField(field: "customerId", reason: "must not be empty") }
        guard !userID.isEmpty else { throw BillingError.invalidField(field: "userId", reason: "must not be empty") }
        let (currency, now) = (settings.currency, clock.now())
        return try await database.transaction { tx in
            do {
                _ = try await AccountStore.open(customerID: customerID, userID: userID, currency: currency, at: now, in: tx)
            } catch StorageError.uniqueViolation {
                throw BillingError.conflict(reason: "the user has another billing account")
            }
            return try await AccountStore.balance(customerID: customerID, in: tx)
        }
    }

    /// Balance, credit limit and what may be spent.
    public func balance(of owner: AccountOwner) async throws -> AccountBalance {
        let customerID = try await AccountStore.customerID(of: owner, in: database)
        return try await AccountStore.balance(customerID: customerID, in: database)
    }

    /// Sets a customer's own credit limit, or with `nil` returns them to their tariffs' default.
    public func setCreditLimit(customerID: String, creditLimit: Money?) async throws -> AccountBalance {
        if let creditLimit { try requireNonNegative(creditLimit, field: "creditLimit") }
        let now = clock.now()
        return try await database.transaction { tx in
            let rows = try await tx.query(
                "UPDATE billing_accounts SET credit_limit_override = $1 WHERE customer_id = $2 RETURNING customer_id", creditLimit?.minorUnits,
                customerID)
            guard !rows.isEmpty else { throw BillingError.notFound }
            try await AccountStore.refreshCreditLimit(customerID: customerID, in: tx)
            try await self.applyDebt(customerID: customerID, at: now, in: tx)
            return try await AccountStore.balance(customerID: customerID, in: tx)
        }
    }

    /// Sets the language of the account's statement and invoice texts (`ru` or `en`).
    public func setLocale(of owner: AccountOwner, locale: String) async throws {
        guard ["ru", "en"].contains(locale) else { throw BillingError.invalidField(field: "locale", reason: "must be ru or en") }
        let customerID = try await AccountStore.customerID(of: owner, in: database)
        try await database.query("UPDATE billing_accounts SET locale = $1 WHERE customer_id = $2", locale, customerID)
    }

    /// The account's ledger lines, newest first, with the balance right after each.
    public func transactions(of owner: AccountOwner, page: PageRequest) async throws -> Page<AccountTransaction> {
        let customerID = try await AccountStore.customerID(of: owner, in: database)
        let locale = try await AccountStore.locale(customerID: customerID, in: database)
        let cursor = page.cursor.flatMap { Int64($0) } ?? Int64.max
        let rows = try await database.query(
            """
            SELECT e.seq, e.amount, e.balance_after, t.id, t.kind, t.description_ru, t.description_en, t.invoice_id, t.payment_id,
                t.occurred_at
            FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
            WHERE e.customer_id = $1 AND e.account = 'customer' AND e.seq < $2
            ORDER BY e.seq DESC LIMIT $3
            """,
            customerID, cursor, page.limit + 1)
        var items: [AccountTransaction] = []
        var lastSequence: Int64 = 0
        for row in rows.prefix(page.limit) {
            let entry = try row.decode(EntryRow.self)
            lastSequence = entry.seq
            items.append(
                AccountTransaction(
                    id: entry.id, kind: entry.kind, amount: money(entry.amount), balanceAfter: money(entry.balanceAfter ?? 0),
                    description: LocalizedText(ru: entry.descriptionRu, en: entry.descriptionEn).text(for: locale), invoiceId: entry.invoiceID,
                    paymentId: entry.paymentID, occurredAt: entry.occurredAt))
        }
        return Page(items: items, nextCursor: rows.count > page.limit ? String(lastSequence) : nil)
    }

    /// Checks every ledger invariant; the report lists each breach.
    public func verifyLedger() async throws -> LedgerVerification {
        try await LedgerVerifier.verify(in: database)
    }
}

/// A customer's ledger entry with its transaction, as ``BillingService/transactions(of:page:)`` lists them.
private struct EntryRow: Decodable {
    var seq: Int64
    var amount: Int64
    var balanceAfter: Int64?
    var id: String
    var kind: AccountTransaction.Kind
    var descriptionRu: String
    var descriptionEn: String
    var invoiceID: String?
    var paymentID: String?
    var occurredAt: Date
}
