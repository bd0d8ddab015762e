import Contracts
import Kernel

/// One entry of a posting before it is stored.
public struct LedgerEntryDraft: Sendable, Hashable {
    /// The account.
    public var account: LedgerAccount
    /// The invoice, for receivable entries.
    public var invoiceID: String?
    /// The customer of a per-customer entry when it differs from the posting's (a batch of invoices).
    public var customerID: String?
    /// Signed amount in minor units.
    public var amount: Int64

    /// Creates an entry.
    public init(_ account: LedgerAccount, _ amount: Int64, invoiceID: String? = nil, customerID: String? = nil) {
        self.account = account
        self.amount = amount
        self.invoiceID = invoiceID
        self.customerID = customerID
    }
}

/// How far a posting may take the customer's balance down.
public enum BalanceFloor: Sendable, Hashable {
    /// Not below minus the account's credit limit (spending).
    case creditLimit
    /// Not below zero (refunds: money already spent cannot be returned).
    case zero
    /// No floor: the change happens whatever the balance (expiries, overdue debits, credits).
    case none
}

/// One ledger transaction: entries that sum to zero, about at most one customer.
public struct LedgerPosting: Sendable, Hashable {
    /// What moved the money (``AccountTransaction/Kind`` raw value or `invoice` for issuing).
    public var kind: String
    /// The customer whose accounts it touches, if any.
    public var customerID: String?
    /// The invoice involved.
    public var invoiceID: String?
    /// The payment involved.
    public var paymentID: String?
    /// The statement's description.
    public var description: LocalizedText
    /// The entries.
    public var entries: [LedgerEntryDraft]
    /// How far the customer's balance may go down.
    public var floor: BalanceFloor

    /// Creates a posting; ``validate()`` checks it before storing.
    public init(
        kind: String, customerID: String?, invoiceID: String? = nil, paymentID: String? = nil, description: LocalizedText,
        entries: [LedgerEntryDraft], floor: BalanceFloor = .none
    ) {
        self.kind = kind
        self.customerID = customerID
        self.invoiceID = invoiceID
        self.paymentID = paymentID
        self.description = description
        self.entries = entries
        self.floor = floor
    }

    /// The change of the customer's balance: the sum of the customer-account entries.
    public var customerDelta: Int64 { entries.filter { $0.account == .customer }.reduce(0) { $0 + $1.amount } }

    /// Throws unless the entries sum to zero and per-customer entries name a customer.
    public func validate() throws {
        var sum: Int64 = 0
        for entry in entries {
            let (next, overflow) = sum.addingReportingOverflow(entry.amount)
            guard !overflow else { throw MoneyError.overflow }
            sum = next
        }
        guard sum == 0, !entries.isEmpty else { throw LedgerImbalance(kind: kind, sum: sum) }
        if entries.contains(where: { $0.account.isPerCustomer && ($0.customerID ?? customerID) == nil }) {
            throw LedgerImbalance(kind: kind, sum: sum)
        }
        if entries.contains(where: { $0.account == .customer && $0.customerID != nil && $0.customerID != customerID }) {
            throw LedgerImbalance(kind: kind, sum: sum)
        }
    }
}

/// A posting whose entries do not sum to zero: a programming error, never stored.
public struct LedgerImbalance: Error, Sendable, CustomStringConvertible {
    /// The posting's kind.
    public var kind: String
    /// What its entries summed to.
    public var sum: Int64

    /// A one-line summary.
    public var description: String { "ledger posting \(kind) does not balance (sum \(sum))" }
}
