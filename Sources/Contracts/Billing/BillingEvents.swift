import Foundation
import Kernel

/// An invoice was issued by the monthly run or a charge.
public struct InvoiceCreated: DomainEvent, Equatable {
    /// `invoice.created`
    public static let type = "invoice.created"
    /// Schema version.
    public static let version = 1
    /// The invoice.
    public var invoiceId: String
    /// The customer.
    public var customerId: String
    /// Its number.
    public var number: String
    /// The period billed.
    public var period: BillingPeriod
    /// Total, VAT included.
    public var total: Money
    /// Due day.
    public var dueOn: LocalDate

    /// Creates the event.
    public init(invoiceId: String, customerId: String, number: String, period: BillingPeriod, total: Money, dueOn: LocalDate) {
        self.invoiceId = invoiceId
        self.customerId = customerId
        self.number = number
        self.period = period
        self.total = total
        self.dueOn = dueOn
    }
}

/// An invoice was paid in full.
public struct InvoicePaid: DomainEvent, Equatable {
    /// `invoice.paid`
    public static let type = "invoice.paid"
    /// Schema version.
    public static let version = 1
    /// The invoice.
    public var invoiceId: String
    /// The customer.
    public var customerId: String
    /// Its total.
    public var total: Money

    /// Creates the event.
    public init(invoiceId: String, customerId: String, total: Money) {
        self.invoiceId = invoiceId
        self.customerId = customerId
        self.total = total
    }
}

/// An invoice stayed unpaid past its due day and grace.
public struct InvoiceOverdue: DomainEvent, Equatable {
    /// `invoice.overdue`
    public static let type = "invoice.overdue"
    /// Schema version.
    public static let version = 1
    /// The invoice.
    public var invoiceId: String
    /// The customer.
    public var customerId: String
    /// What is unpaid.
    public var amountDue: Money
    /// The due day it missed.
    public var dueOn: LocalDate

    /// Creates the event.
    public init(invoiceId: String, customerId: String, amountDue: Money, dueOn: LocalDate) {
        self.invoiceId = invoiceId
        self.customerId = customerId
        self.amountDue = amountDue
        self.dueOn = dueOn
    }
}

/// A payment was created (seed flow 3, step 6).
public struct PaymentCreated: DomainEvent, Equatable {
    /// `payment.created`
    public static let type = "payment.created"
    /// Schema version.
    public static let version = 1
    /// The payment.
    public var paymentId: String
    /// The customer.
    public var customerId: String
    /// The invoice, if any.
    public var invoiceId: String?
    /// Amount.
    public var amount: Money
    /// How.
    public var method: PaymentMethod

    /// Creates the event.
    public init(paymentId: String, customerId: String, invoiceId: String?, amount: Money, method: PaymentMethod) {
        self.paymentId = paymentId
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.amount = amount
        self.method = method
    }
}

/// Money of a payment arrived.
public struct PaymentSucceeded: DomainEvent, Equatable {
    /// `payment.succeeded`
    public static let type = "payment.succeeded"
    /// Schema version.
    public static let version = 1
    /// The payment.
    public var paymentId: String
    /// The customer.
    public var customerId: String
    /// The invoice, if any.
    public var invoiceId: String?
    /// Amount.
    public var amount: Money
    /// How.
    public var method: PaymentMethod

    /// Creates the event.
    public init(paymentId: String, customerId: String, invoiceId: String?, amount: Money, method: PaymentMethod) {
        self.paymentId = paymentId
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.amount = amount
        self.method = method
    }
}

/// A payment was refused or expired.
public struct PaymentFailed: DomainEvent, Equatable {
    /// `payment.failed`
    public static let type = "payment.failed"
    /// Schema version.
    public static let version = 1
    /// The payment.
    public var paymentId: String
    /// The customer.
    public var customerId: String
    /// Amount.
    public var amount: Money
    /// Why, as the provider said.
    public var reason: String

    /// Creates the event.
    public init(paymentId: String, customerId: String, amount: Money, reason: String) {
        self.paymentId = paymentId
        self.customerId = customerId
        self.amount = amount
        self.reason = reason
    }
}

/// Money of a payment was returned.
public struct PaymentRefunded: DomainEvent, Equatable {
    /// `payment.refunded`
    public static let type = "payment.refunded"
    /// Schema version.
    public static let version = 1
    /// The payment.
    public var paymentId: String
    /// The customer.
    public var customerId: String
    /// Amount returned now.
    public var amount: Money
    /// Returned so far.
    public var refundedTotal: Money

    /// Creates the event.
    public init(paymentId: String, customerId: String, amount: Money, refundedTotal: Money) {
        self.paymentId = paymentId
        self.customerId = customerId
        self.amount = amount
        self.refundedTotal = refundedTotal
    }
}

/// Service was stopped for debt.
public struct SubscriptionSuspended: DomainEvent, Equatable {
    /// `subscription.suspended`
    public static let type = "subscription.suspended"
    /// Schema version.
    public static let version = 1
    /// The subscription.
    public var subscriptionId: String
    /// The customer.
    public var customerId: String
    /// Balance at the time.
    public var balance: Money

    /// Creates the event.
    public init(subscriptionId: String, customerId: String, balance: Money) {
        self.subscriptionId = subscriptionId
        self.customerId = customerId
        self.balance = balance
    }
}

/// Service came back after payment or a promised payment.
public struct SubscriptionResumed: DomainEvent, Equatable {
    /// `subscription.resumed`
    public static let type = "subscription.resumed"
    /// Schema version.
    public static let version = 1
    /// The subscription.
    public var subscriptionId: String
    /// The customer.
    public var customerId: String

    /// Creates the event.
    public init(subscriptionId: String, customerId: String) {
        self.subscriptionId = subscriptionId
        self.customerId = customerId
    }
}

/// A subscription moved to another tariff.
public struct TariffChanged: DomainEvent, Equatable {
    /// `subscription.tariff_changed`
    public static let type = "subscription.tariff_changed"
    /// Schema version.
    public static let version = 1
    /// The subscription.
    public var subscriptionId: String
    /// The customer.
    public var customerId: String
    /// Old tariff.
    public var fromTariffId: String
    /// New tariff.
    public var toTariffId: String
    /// First day on the new tariff.
    public var effectiveOn: LocalDate

    /// Creates the event.
    public init(subscriptionId: String, customerId: String, fromTariffId: String, toTariffId: String, effectiveOn: LocalDate) {
        self.subscriptionId = subscriptionId
        self.customerId = customerId
        self.fromTariffId = fromTariffId
        self.toTariffId = toTariffId
        self.effectiveOn = effectiveOn
    }
}

/// A customer paused a subscription.
public struct SubscriptionPaused: DomainEvent, Equatable {
    /// `subscription.paused`
    public static let type = "subscription.paused"
    /// Schema version.
    public static let version = 1
    /// The subscription.
    public var subscriptionId: String
    /// The customer.
    public var customerId: String
    /// First day of the pause.
    public var startsOn: LocalDate
    /// Last day of the pause.
    public var endsOn: LocalDate

    /// Creates the event.
    public init(subscriptionId: String, customerId: String, startsOn: LocalDate, endsOn: LocalDate) {
        self.subscriptionId = subscriptionId
        self.customerId = customerId
        self.startsOn = startsOn
        self.endsOn = endsOn
    }
}

/// A customer took a promised payment.
public struct PromisedPaymentTaken: DomainEvent, Equatable {
    /// `promised_payment.taken`
    public static let type = "promised_payment.taken"
    /// Schema version.
    public static let version = 1
    /// The promised payment.
    public var promisedPaymentId: String
    /// The customer.
    public var customerId: String
    /// Credit.
    public var amount: Money
    /// When it ends.
    public var expiresAt: Date

    /// Creates the event.
    public init(promisedPaymentId: String, customerId: String, amount: Money, expiresAt: Date) {
        self.promisedPaymentId = promisedPaymentId
        self.customerId = customerId
        self.amount = amount
        self.expiresAt = expiresAt
    }
}

/// A promised payment ended.
public struct PromisedPaymentExpired: DomainEvent, Equatable {
    /// `promised_payment.expired`
    public static let type = "promised_payment.expired"
    /// Schema version.
    public static let version = 1
    /// The promised payment.
    public var promisedPaymentId: String
    /// The customer.
    public var customerId: String
    /// Credit withdrawn.
    public var amount: Money

    /// Creates the event.
    public init(promisedPaymentId: String, customerId: String, amount: Money) {
        self.promisedPaymentId = promisedPaymentId
        self.customerId = customerId
        self.amount = amount
    }
}
