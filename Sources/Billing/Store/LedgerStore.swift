import Contracts
import Foundation
import Kernel
import Storage

/// Writes ledger transactions: the entries, and the customer's stored balance in the same database transaction.
enum LedgerStore {
    /// Stores `posting` and returns the customer's balance after it (`nil` when it does not touch their balance).
    ///
    /// The balance moves by one conditional `UPDATE`, so concurrent debits are serialised by the row and none can
    /// take the balance past the posting's floor: a refused debit throws ``BillingError/insufficientFunds(available:)``.
    @discardableResult
    static func post(_ posting: LedgerPosting, at time: Date, in tx: any SQLExecutor) async throws -> Int64? {
        try posting.validate()
        var balanceAfter: Int64?
        if let customer = posting.customerID, posting.entries.contains(where: { $0.account == .customer }) {
            let delta = posting.customerDelta
            var condition = ""
            if delta < 0 {
                switch posting.floor {
                case .creditLimit: condition = " AND balance + $1 >= -credit_limit"
                case .zero: condition = " AND balance + $1 >= 0"
                case .none: break
                }
            }
            let rows = try await tx.query(
                "UPDATE billing_accounts SET balance = balance + $1 WHERE customer_id = $2\(condition) RETURNING balance, currency", delta,
                customer)
            guard let row = rows.first else {
                guard
                    let account = try await tx.first("SELECT balance, credit_limit, currency FROM billing_accounts WHERE customer_id = $1", customer)
                else { throw BillingError.notFound }
                let balance = try account.int64("balance")
                let available = posting.floor == .zero ? balance : balance + (try account.int64("credit_limit"))
                let currency = Currency(code: try account.string("currency")) ?? .rub
                throw BillingError.insufficientFunds(available: Money(minorUnits: max(0, available), currency: currency))
            }
            balanceAfter = try row.int64("balance")
        }
        let transactionID = Identifier<LedgerPosting>.generate().rawValue
        try await tx.query(
            """
            INSERT INTO ledger_transactions (id, kind, customer_id, invoice_id, payment_id, description_ru, description_en, occurred_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            transactionID, posting.kind, posting.customerID, posting.invoiceID, posting.paymentID, posting.description.ru,
            posting.description.en, time)
        var binds: [SQLValue] = []
        var tuples: [String] = []
        for entry in posting.entries {
            let base = binds.count
            tuples.append("($\(base + 1), $\(base + 2), $\(base + 3), $\(base + 4), $\(base + 5), $\(base + 6))")
            let customer = entry.account.isPerCustomer ? (entry.customerID ?? posting.customerID) : nil
            let after = entry.account == .customer ? balanceAfter : nil
            binds += [
                .text(transactionID), .text(entry.account.name), customer.sqlValue, entry.invoiceID.sqlValue, .integer(entry.amount),
                after.sqlValue,
            ]
        }
        try await tx.query(
            "INSERT INTO ledger_entries (transaction_id, account, customer_id, invoice_id, amount, balance_after) VALUES "
                + tuples.joined(separator: ", "), binds)
        return balanceAfter
    }
}
