import Foundation
import Kernel

/// How money came or is coming in.
public enum PaymentMethod: String, Codable, Sendable, CaseIterable {
    /// Taken from the account's balance to settle an invoice.
    case balance
    /// Through an online payment provider.
    case provider
    /// Cash at an office, entered by an operator.
    case cash
    /// Bank transfer, entered by an operator.
    case bankTransfer = "bank_transfer"
}

/// Where a payment stands.
public enum PaymentStatus: String, Codable, Sendable, CaseIterable {
    /// Waiting for the provider.
    case pending
    /// Money received.
    case succeeded
    /// The provider refused or it expired.
    case failed
    /// Returned in part.
    case partiallyRefunded = "partially_refunded"
    /// Returned in full.
    case refunded
}

/// A payment.
public struct Payment: Codable, Sendable, Hashable {
    /// The payment's id.
    public var id: String
    /// The customer.
    public var customerId: String
    /// The invoice it settles, if any (a top-up has none).
    public var invoiceId: String?
    /// Amount.
    public var amount: Money
    /// How.
    public var method: PaymentMethod
    /// The provider's name for ``PaymentMethod/provider`` payments.
    public var provider: String?
    /// Standing.
    public var status: PaymentStatus
    /// Returned so far.
    public var refundedAmount: Money
    /// Where to send the customer to confirm a provider payment.
    public var confirmationURL: String?
    /// When it was created.
    public var createdAt: Date

    /// Creates a payment.
    public init(
        id: String, customerId: String, invoiceId: String?, amount: Money, method: PaymentMethod, provider: String?, status: PaymentStatus,
        refundedAmount: Money, confirmationURL: String?, createdAt: Date
    ) {
        self.id = id
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.amount = amount
        self.method = method
        self.provider = provider
        self.status = status
        self.refundedAmount = refundedAmount
        self.confirmationURL = confirmationURL
        self.createdAt = createdAt
    }
}

/// What a customer asks to pay.
public struct PaymentOrder: Codable, Sendable, Hashable {
    /// The invoice to settle; `nil` for a top-up.
    public var invoiceId: String?
    /// Amount of a top-up; for an invoice, its amount due when `nil`.
    public var amount: Money?
    /// ``PaymentMethod/balance`` or ``PaymentMethod/provider``.
    public var method: PaymentMethod
    /// The provider for provider payments (`sandbox`).
    public var provider: String?
    /// Where the provider sends the customer back.
    public var returnURL: String?

    /// Creates an order.
    public init(invoiceId: String?, amount: Money?, method: PaymentMethod, provider: String? = nil, returnURL: String? = nil) {
        self.invoiceId = invoiceId
        self.amount = amount
        self.method = method
        self.provider = provider
        self.returnURL = returnURL
    }
}

/// Money an operator received for a customer.
public struct ManualPayment: Codable, Sendable, Hashable {
    /// The customer.
    public var customerId: String
    /// Amount (positive).
    public var amount: Money
    /// ``PaymentMethod/cash`` or ``PaymentMethod/bankTransfer``.
    public var method: PaymentMethod
    /// Receipt or bank document number.
    public var reference: String?

    /// Creates the input.
    public init(customerId: String, amount: Money, method: PaymentMethod, reference: String?) {
        self.customerId = customerId
        self.amount = amount
        self.method = method
        self.reference = reference
    }
}

/// A refund of a succeeded payment.
public struct RefundRequest: Codable, Sendable, Hashable {
    /// The payment.
    public var paymentId: String
    /// Amount (positive, at most what is left unrefunded).
    public var amount: Money
    /// Why, for the audit trail.
    public var reason: String

    /// Creates the request.
    public init(paymentId: String, amount: Money, reason: String) {
        self.paymentId = paymentId
        self.amount = amount
        self.reason = reason
    }
}

/// A temporary credit the customer took.
public struct PromisedPayment: Codable, Sendable, Hashable {
    /// The promised payment's id.
    public var id: String
    /// The customer.
    public var customerId: String
    /// Credit granted.
    public var amount: Money
    /// When it was taken.
    public var takenAt: Date
    /// When it ends by itself.
    public var expiresAt: Date
    /// Whether it is still in force.
    public var isOpen: Bool

    /// Creates a record.
    public init(id: String, customerId: String, amount: Money, takenAt: Date, expiresAt: Date, isOpen: Bool) {
        self.id = id
        self.customerId = customerId
        self.amount = amount
        self.takenAt = takenAt
        self.expiresAt = expiresAt
        self.isOpen = isOpen
    }
}

/// Whether a promised payment may be taken now, and on what terms.
public struct PromisedPaymentOffer: Codable, Sendable, Hashable {
    /// Whether one may be taken now.
    public var isAvailable: Bool
    /// Why not, as a stable code, when unavailable.
    public var reason: String?
    /// The largest amount.
    public var maximumAmount: Money
    /// How many days it lasts.
    public var days: Int
    /// The open one, if any.
    public var current: PromisedPayment?
    /// When the next one may be taken, if later than now.
    public var nextAvailableAt: Date?

    /// Creates an offer.
    public init(isAvailable: Bool, reason: String?, maximumAmount: Money, days: Int, current: PromisedPayment?, nextAvailableAt: Date?) {
        self.isAvailable = isAvailable
        self.reason = reason
        self.maximumAmount = maximumAmount
        self.days = days
        self.current = current
        self.nextAvailableAt = nextAvailableAt
    }
}
