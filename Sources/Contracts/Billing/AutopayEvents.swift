import Foundation
import Kernel

/// An automatic charge was scheduled: the customer is told before the money is taken.
public struct AutopayScheduled: DomainEvent, Equatable {
    /// `autopay.scheduled`
    public static let type = "autopay.scheduled"
    /// Schema version.
    public static let version = 1
    /// The customer.
    public var customerId: String
    /// The invoice it pays; `nil` for a top-up below the threshold.
    public var invoiceId: String?
    /// The amount.
    public var amount: Money
    /// The saved method's title (`Visa •••• 4242`).
    public var methodTitle: String
    /// When it will be charged.
    public var chargeAt: Date

    /// Creates the event.
    public init(customerId: String, invoiceId: String?, amount: Money, methodTitle: String, chargeAt: Date) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.amount = amount
        self.methodTitle = methodTitle
        self.chargeAt = chargeAt
    }
}

/// An automatic charge failed; after too many in a row autopay stopped.
public struct AutopayFailed: DomainEvent, Equatable {
    /// `autopay.failed`
    public static let type = "autopay.failed"
    /// Schema version.
    public static let version = 1
    /// The customer.
    public var customerId: String
    /// The invoice it was for, if any.
    public var invoiceId: String?
    /// The amount.
    public var amount: Money
    /// The provider's reason.
    public var reason: String
    /// Whether autopay turned itself off after this failure.
    public var stopped: Bool
    /// Whether the customer may take a promised payment to avoid suspension (offered to them with this event).
    public var promisedPaymentOffered: Bool

    /// Creates the event.
    public init(customerId: String, invoiceId: String?, amount: Money, reason: String, stopped: Bool, promisedPaymentOffered: Bool) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.amount = amount
        self.reason = reason
        self.stopped = stopped
        self.promisedPaymentOffered = promisedPaymentOffered
    }
}
