import Foundation
import Kernel

/// A notification (webhook) as it arrived.
public struct ProviderNotification: Sendable, Hashable {
    /// The raw body.
    public var body: [UInt8]
    /// Its headers, names lowercased.
    public var headers: [String: String]

    /// Creates a notification.
    public init(body: [UInt8], headers: [String: String]) {
        self.body = body
        self.headers = headers
    }
}

/// What a notification is about, and how to answer it.
public struct ProviderNotice: Sendable, Hashable {
    /// The payment: the provider's id and, where the notification names it, ours.
    public var providerPaymentID: String?
    /// Our payment's id, where the notification carries it.
    public var paymentID: String?
    /// The provider's refund id, for a notification about a refund.
    public var providerRefundID: String?
    /// The body the provider expects in the 200 answer (T-Bank wants `OK`; empty for most).
    public var acknowledgement: String
    /// The method the payment saved, where only a signed notification tells it (T-Bank's `RebillId` is in no lookup's
    /// answer); `nil` for providers whose lookups report it.
    public var savedMethod: SavedMethodDetails?

    /// Creates a notice.
    public init(
        providerPaymentID: String?, paymentID: String?, providerRefundID: String? = nil, acknowledgement: String = "",
        savedMethod: SavedMethodDetails? = nil
    ) {
        self.providerPaymentID = providerPaymentID
        self.paymentID = paymentID
        self.providerRefundID = providerRefundID
        self.acknowledgement = acknowledgement
        self.savedMethod = savedMethod
    }
}

/// One payment or refund in the provider's list of a day, for reconciliation.
public struct ProviderOperation: Sendable, Hashable {
    /// A payment or a refund.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Money in.
        case payment
        /// Money back.
        case refund
    }

    /// Payment or refund.
    public var kind: Kind
    /// The provider's id of the operation.
    public var providerID: String
    /// The provider's id of the payment (for a refund, the payment it returns money of).
    public var providerPaymentID: String
    /// Our payment's id, when the provider keeps it.
    public var paymentID: String?
    /// The amount.
    public var amount: Money
    /// Whether the money moved (`true`), or the operation is final without money (`false`); `nil` while pending.
    public var succeeded: Bool?
    /// When the provider created it.
    public var createdAt: Date

    /// Creates an operation.
    public init(kind: Kind, providerID: String, providerPaymentID: String, paymentID: String?, amount: Money, succeeded: Bool?, createdAt: Date) {
        self.kind = kind
        self.providerID = providerID
        self.providerPaymentID = providerPaymentID
        self.paymentID = paymentID
        self.amount = amount
        self.succeeded = succeeded
        self.createdAt = createdAt
    }
}
