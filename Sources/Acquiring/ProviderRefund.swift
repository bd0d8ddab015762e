import Foundation
import Kernel

/// A refund to create at the provider.
public struct ProviderRefundRequest: Sendable, Hashable {
    /// Our refund's id.
    public var refundID: String
    /// The payment it returns money of.
    public var payment: ProviderPaymentReference
    /// The provider's idempotency key for the refund, the same on every retry.
    public var idempotencyKey: String
    /// Amount (at most what is left unrefunded).
    public var amount: Money
    /// The refund's fiscal receipt (54-ФЗ).
    public var receipt: FiscalReceipt?

    /// Creates a request.
    public init(refundID: String, payment: ProviderPaymentReference, idempotencyKey: String, amount: Money, receipt: FiscalReceipt?) {
        self.refundID = refundID
        self.payment = payment
        self.idempotencyKey = idempotencyKey
        self.amount = amount
        self.receipt = receipt
    }
}

/// How to find a refund at the provider.
public struct ProviderRefundReference: Sendable, Hashable {
    /// Our refund's id.
    public var refundID: String
    /// The provider's id, once it answered.
    public var providerRefundID: String?
    /// The payment it belongs to.
    public var payment: ProviderPaymentReference
    /// The idempotency key the refund was sent with.
    public var idempotencyKey: String
    /// Its amount.
    public var amount: Money

    /// Creates a reference.
    public init(refundID: String, providerRefundID: String?, payment: ProviderPaymentReference, idempotencyKey: String, amount: Money) {
        self.refundID = refundID
        self.providerRefundID = providerRefundID
        self.payment = payment
        self.idempotencyKey = idempotencyKey
        self.amount = amount
    }
}

/// Where a refund stands at the provider.
public enum ProviderRefundStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Accepted, not yet done.
    case pending
    /// The money went back: final.
    case succeeded
    /// Refused: final, no money moved.
    case canceled
}

/// A refund as the provider reports it.
public struct ProviderRefund: Sendable, Hashable {
    /// The provider's id.
    public var providerRefundID: String
    /// Standing.
    public var status: ProviderRefundStatus
    /// The amount.
    public var amount: Money

    /// Creates a report.
    public init(providerRefundID: String, status: ProviderRefundStatus, amount: Money) {
        self.providerRefundID = providerRefundID
        self.status = status
        self.amount = amount
    }
}
