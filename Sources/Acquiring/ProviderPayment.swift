import Foundation
import Kernel

/// What to pay with at the provider.
public enum ProviderPaymentSource: Sendable, Hashable {
    /// The customer chooses on the provider's page or in the bank app (card or SBP).
    case method(ProviderPaymentMethod)
    /// A method saved earlier, charged without the customer (autopay); its provider token.
    case saved(token: String)
}

/// A payment to create at the provider.
public struct ProviderPaymentRequest: Sendable, Hashable {
    /// Our payment's id; the provider keeps it (metadata, order id) so the payment can be found by it.
    public var paymentID: String
    /// The provider's idempotency key for the creation, derived from ours and the same on every retry.
    public var idempotencyKey: String
    /// Our customer's id: the provider's customer key for saved methods.
    public var customerID: String
    /// Amount.
    public var amount: Money
    /// The text the provider shows and prints (at most 128 characters).
    public var description: String
    /// Where the provider sends the customer back after the payment page.
    public var returnURL: String?
    /// How the customer pays.
    public var source: ProviderPaymentSource
    /// Whether to save the card for later payments without the customer.
    public var saveMethod: Bool
    /// The fiscal receipt (54-ФЗ) the provider sends to the customer and the tax service.
    public var receipt: FiscalReceipt?

    /// Creates a request.
    public init(
        paymentID: String, idempotencyKey: String, customerID: String, amount: Money, description: String, returnURL: String?,
        source: ProviderPaymentSource, saveMethod: Bool, receipt: FiscalReceipt?
    ) {
        self.paymentID = paymentID
        self.idempotencyKey = idempotencyKey
        self.customerID = customerID
        self.amount = amount
        self.description = description
        self.returnURL = returnURL
        self.source = source
        self.saveMethod = saveMethod
        self.receipt = receipt
    }
}

/// How to find a payment at the provider.
public struct ProviderPaymentReference: Sendable, Hashable {
    /// Our payment's id.
    public var paymentID: String
    /// The provider's id, once it answered the creation.
    public var providerPaymentID: String?
    /// The idempotency key the creation was sent with.
    public var idempotencyKey: String
    /// When we created the payment (providers that search by time look around it).
    public var createdAt: Date

    /// Creates a reference.
    public init(paymentID: String, providerPaymentID: String?, idempotencyKey: String, createdAt: Date) {
        self.paymentID = paymentID
        self.providerPaymentID = providerPaymentID
        self.idempotencyKey = idempotencyKey
        self.createdAt = createdAt
    }
}

/// Where a payment stands at the provider.
public enum ProviderPaymentStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Created; the customer has not confirmed it yet.
    case pending
    /// Authorised and waiting to be captured (two-stage payments).
    case waitingForCapture = "waiting_for_capture"
    /// The money is taken: final.
    case succeeded
    /// Declined, expired or cancelled: final, no money moved.
    case canceled
}

/// Where the customer confirms a payment.
public enum ProviderConfirmation: Sendable, Hashable {
    /// A page to open (the card form, or a link the bank app opens for SBP).
    case redirect(url: String)
    /// An SBP QR code's payload (a `https://qr.nspk.ru/…` link), shown as a QR code or opened on a phone.
    case qrCode(payload: String)
}

/// A method the provider saved for later payments.
public struct SavedMethodDetails: Sendable, Hashable, Codable {
    /// The provider's token for it (never a card number).
    public var token: String
    /// What the customer sees: `Visa •••• 4242`, `СБП: Сбербанк`.
    public var title: String
    /// The card's expiry month as `YYYY-MM`, when known.
    public var expires: String?

    /// Creates the details.
    public init(token: String, title: String, expires: String?) {
        self.token = token
        self.title = title
        self.expires = expires
    }
}

/// A payment as the provider reports it.
public struct ProviderPayment: Sendable, Hashable {
    /// The provider's id.
    public var providerPaymentID: String
    /// Our payment's id, as the provider keeps it, when it reports it.
    public var paymentID: String?
    /// Standing.
    public var status: ProviderPaymentStatus
    /// The amount.
    public var amount: Money
    /// Where the customer confirms it while it is pending.
    public var confirmation: ProviderConfirmation?
    /// The method saved by this payment, once it succeeded with saving asked for.
    public var savedMethod: SavedMethodDetails?
    /// Why it was cancelled, in the provider's words or code.
    public var failureReason: String?

    /// Creates a report.
    public init(
        providerPaymentID: String, paymentID: String?, status: ProviderPaymentStatus, amount: Money, confirmation: ProviderConfirmation?,
        savedMethod: SavedMethodDetails?, failureReason: String?
    ) {
        self.providerPaymentID = providerPaymentID
        self.paymentID = paymentID
        self.status = status
        self.amount = amount
        self.confirmation = confirmation
        self.savedMethod = savedMethod
        self.failureReason = failureReason
    }
}
