/// An account of the double-entry ledger. Amounts on entries are signed; every transaction's entries sum to zero.
///
/// A customer's ``customer`` account is their balance (positive: money held for them; negative: debt). The
/// ``receivable`` account holds what their invoices still owe, per invoice (negative while unpaid). The system
/// accounts stand for the operator's side: revenue, VAT to pay, money held at each payment method or provider,
/// and the promised credit extended to customers.
public enum LedgerAccount: Hashable, Sendable {
    /// A customer's balance.
    case customer
    /// A customer's unpaid invoices (entries carry the invoice).
    case receivable
    /// Revenue, net of VAT.
    case revenue
    /// VAT payable to the state.
    case vatPayable
    /// Money received through a method (`cash`, `bank_transfer`) or provider (`provider:sandbox`), not yet settled.
    case clearing(String)
    /// Promised credit extended to customers.
    case promisedCredit

    /// The account's stored name.
    public var name: String {
        switch self {
        case .customer: "customer"
        case .receivable: "receivable"
        case .revenue: "revenue"
        case .vatPayable: "vat_payable"
        case .clearing(let method): "clearing:" + method
        case .promisedCredit: "promised_credit"
        }
    }

    /// Whether entries on it belong to one customer.
    public var isPerCustomer: Bool { self == .customer || self == .receivable }
}
