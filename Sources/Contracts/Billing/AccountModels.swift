import Foundation
import Kernel

/// A customer's money position.
public struct AccountBalance: Codable, Sendable, Hashable {
    /// The customer.
    public var customerId: String
    /// Balance: positive is prepaid money, negative is debt. Always the sum of the account's ledger entries.
    public var balance: Money
    /// How far below zero the balance may go before service is suspended.
    public var creditLimit: Money
    /// Credit of the open promised payment, zero when none. It is already part of ``balance`` (taking a promised
    /// payment credits the balance; its expiry takes the credit back), so it is shown, not added again.
    public var promisedCredit: Money
    /// What may be spent now: balance + credit limit (never below zero).
    public var available: Money
    /// Whether any subscription is suspended for debt.
    public var isSuspended: Bool

    /// Creates a balance.
    public init(customerId: String, balance: Money, creditLimit: Money, promisedCredit: Money, available: Money, isSuspended: Bool) {
        self.customerId = customerId
        self.balance = balance
        self.creditLimit = creditLimit
        self.promisedCredit = promisedCredit
        self.available = available
        self.isSuspended = isSuspended
    }
}

/// One ledger transaction as the customer's statement shows it.
public struct AccountTransaction: Codable, Sendable, Hashable {
    /// What moved the money.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// An invoice charged the account.
        case charge
        /// Money came in.
        case payment
        /// Money went back to the customer.
        case refund
        /// Credit for unused days (pause, tariff change).
        case credit
        /// A promised payment was granted.
        case promisedCredit = "promised_credit"
        /// A promised payment ended.
        case promisedExpiry = "promised_expiry"
        /// An operator's correction.
        case adjustment
    }

    /// The ledger transaction's id.
    public var id: String
    /// Kind.
    public var kind: Kind
    /// Effect on the balance: positive adds, negative takes.
    public var amount: Money
    /// The balance right after it.
    public var balanceAfter: Money
    /// Human description in the customer's language.
    public var description: String
    /// The invoice involved, if any.
    public var invoiceId: String?
    /// The payment involved, if any.
    public var paymentId: String?
    /// When it was booked.
    public var occurredAt: Date

    /// Creates a statement line.
    public init(
        id: String, kind: Kind, amount: Money, balanceAfter: Money, description: String, invoiceId: String?, paymentId: String?,
        occurredAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.amount = amount
        self.balanceAfter = balanceAfter
        self.description = description
        self.invoiceId = invoiceId
        self.paymentId = paymentId
        self.occurredAt = occurredAt
    }
}

/// What `lastmile billing verify` found.
public struct LedgerVerification: Codable, Sendable, Hashable {
    /// Transactions checked.
    public var transactionsChecked: Int
    /// Accounts checked.
    public var accountsChecked: Int
    /// Each breach, described for an operator; empty when the ledger is sound.
    public var problems: [String]
    /// Whether no invariant is broken.
    public var isClean: Bool { problems.isEmpty }

    /// Creates a report.
    public init(transactionsChecked: Int, accountsChecked: Int, problems: [String]) {
        self.transactionsChecked = transactionsChecked
        self.accountsChecked = accountsChecked
        self.problems = problems
    }
}

/// A customer in debt, for the operators' debtors list.
public struct Debtor: Codable, Sendable, Hashable {
    /// The customer.
    public var customerId: String
    /// Balance (negative).
    public var balance: Money
    /// Credit limit.
    public var creditLimit: Money
    /// Unpaid invoices past their due day.
    public var overdueInvoices: Int
    /// The oldest unpaid due day, if any.
    public var oldestDueOn: LocalDate?
    /// Whether service is suspended.
    public var isSuspended: Bool

    /// Creates a line.
    public init(customerId: String, balance: Money, creditLimit: Money, overdueInvoices: Int, oldestDueOn: LocalDate?, isSuspended: Bool) {
        self.customerId = customerId
        self.balance = balance
        self.creditLimit = creditLimit
        self.overdueInvoices = overdueInvoices
        self.oldestDueOn = oldestDueOn
        self.isSuspended = isSuspended
    }
}
