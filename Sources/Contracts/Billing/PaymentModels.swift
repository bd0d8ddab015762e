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
    /// Where to send the customer to confirm a provider payment (a card form, or for SBP a link the bank app opens
    /// that is also shown as a QR code).
    public var confirmationURL: String?
    /// Why a failed payment failed (the provider's reason), when known.
    public var failureReason: String?
    /// When it was created.
    public var createdAt: Date

    /// Creates a payment.
    public init(
        id: String, customerId: String, invoiceId: String?, amount: Money, method: PaymentMethod, provider: String?, status: PaymentStatus,
        refundedAmount: Money, confirmationURL: String?, failureReason: String? = nil, createdAt: Date
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
        self.failureReason = failureReason
        self.createdAt = createdAt
    }
}

/// How a customer pays online through a provider.
public enum OnlineMethod: String, Codable, Sendable, CaseIterable {
    /// A bank card on the provider's page.
    case card
    /// The Faster Payments System (СБП): a QR code or a link the bank app opens.
    case sbp
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
    /// Card or SBP, for provider payments (card when `nil`).
    public var onlineMethod: OnlineMethod?
    /// Pay with a method saved earlier (its id from the saved methods list) instead of the provider's page.
    public var savedMethodId: String?
    /// Save the card of this payment for later payments and autopay.
    public var saveMethod: Bool?
    /// Where the fiscal receipt goes: an e-mail; the customer's own contacts when neither this nor the phone is given.
    public var receiptEmail: String?
    /// Where the fiscal receipt goes: a phone in E.164.
    public var receiptPhone: String?

    /// Creates an order.
    public init(
        invoiceId: String?, amount: Money?, method: PaymentMethod, provider: String? = nil, returnURL: String? = nil,
        onlineMethod: OnlineMethod? = nil, savedMethodId: String? = nil, saveMethod: Bool? = nil, receiptEmail: String? = nil,
        receiptPhone: String? = nil
    ) {
        self.invoiceId = invoiceId
        self.amount = amount
        self.method = method
        self.provider = provider
        self.returnURL = returnURL
        self.onlineMethod = onlineMethod
        self.savedMethodId = savedMethodId
        self.saveMethod = saveMethod
        self.receiptEmail = receiptEmail
        self.receiptPhone = receiptPhone
    }
}

/// A payment provider customers may choose, as `GET /api/v1/billing/providers` lists it.
public struct PaymentProviderInfo: Codable, Sendable, Hashable {
    /// The name an order gives as `provider`.
    public var name: String
    /// Its title in Russian.
    public var titleRu: String
    /// Its title in English.
    public var titleEn: String
    /// The methods it offers.
    public var methods: [OnlineMethod]
    /// Whether a card can be saved with it for autopay.
    public var savesMethods: Bool

    /// Creates the entry.
    public init(name: String, titleRu: String, titleEn: String, methods: [OnlineMethod], savesMethods: Bool) {
        self.name = name
        self.titleRu = titleRu
        self.titleEn = titleEn
        self.methods = methods
        self.savesMethods = savesMethods
    }
}

/// A payment provider's notification as it arrived at the gateway.
public struct ProviderNotificationInput: Codable, Sendable, Hashable {
    /// The provider's name from the route.
    public var provider: String
    /// The raw body.
    public var body: [UInt8]
    /// The headers a provider signs or names itself with, names lowercased.
    public var headers: [String: String]

    /// Creates the input.
    public init(provider: String, body: [UInt8], headers: [String: String]) {
        self.provider = provider
        self.body = body
        self.headers = headers
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
