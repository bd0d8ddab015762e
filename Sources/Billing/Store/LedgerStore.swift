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
        do {
            try posting.validate()
        } catch MoneyError.overflow {
            throw BillingError.conflict(reason: "the amounts are too large to add up")
        }
        var balanceAfter: Int64?
        if let customer = posting.customerID, posting.entries.contains(where: { $0.account == .customer }) {
            balanceAfter = try await moveBalance(of: customer, by: try customerDelta(of: posting), floor: posting.floor, in: tx)
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

    /// The change of the customer's balance, summed with a check: an overflow is a refusal, never a trap.
    private static func customerDelta(of posting: LedgerPosting) throws -> Int64 {
        var sum: Int64 = 0
        for entry in posting.entries where entry.account == .customer {
            let (next, overflow) = sum.addingReportingOverflow(entry.amount)
            guard !overflow else { throw BillingError.conflict(reason: "the amounts are too large to add up") }
            sum = next
        }
        return sum
    }

    /// Moves the stored balance by `delta` with one conditional `UPDATE` and returns it. The bound keeps `balance + delta`
    /// inside a BIGINT, and the `CASE` tests it before the floor does any arithmetic (SQLite would otherwise turn an
    /// overflowing sum into a REAL, PostgreSQL would fail the statement): a balance that cannot move throws a
    /// ``BillingError`` instead.
    private static func moveBalance(of customer: String, by delta: Int64, floor: BalanceFloor, in tx: any SQLExecutor) async throws -> Int64 {
        var condition = ""
        var binds: [SQLValue] = [.integer(delta), .text(customer)]
        if delta > 0 {
            condition = " AND balance <= $3"
            binds.append(.integer(Int64.max - delta))
        } else if delta < 0 {
            let floorTest =
                switch floor {
                case .creditLimit: "balance + $1 >= -credit_limit"
                case .zero: "balance + $1 >= 0"
                case .none: "TRUE"
                }
            condition = " AND CASE WHEN balance >= $3 THEN \(floorTest) ELSE FALSE END"
            binds.append(.integer(Int64.min - delta))
        }
        let rows = try await tx.query(
            "UPDATE billing_accounts SET balance = balance + $1 WHERE customer_id = $2\(condition) RETURNING balance, currency", binds)
        if let row = rows.first { return try row.int64("balance") }
        guard let account = try await tx.first("SELECT balance, credit_limit, currency FROM billing_accounts WHERE customer_id = $1", customer)
        else { throw BillingError.notFound }
        let balance = try account.int64("balance")
        guard !balance.addingReportingOverflow(delta).overflow else {
            throw BillingError.conflict(reason: "the balance would leave the range an account can hold")
        }
        let limit = floor == .zero ? 0 : try account.int64("credit_limit")
        let (available, overflow) = balance.addingReportingOverflow(limit)
        let currency = Currency(code: try account.string("currency")) ?? .rub
        throw BillingError.insufficientFunds(available: Money(minorUnits: overflow ? Int64.max : max(0, available), currency: currency))
    }
}
