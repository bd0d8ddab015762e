import Foundation
import Kernel

/// What a provider needs to start a payment.
public struct ProviderCheckoutRequest: Sendable, Hashable {
    /// Our payment's id; the provider's notification names it.
    public var paymentID: String
    /// Amount.
    public var amount: Money
    /// Text the provider shows.
    public var description: String
    /// Where the provider sends the customer back.
    public var returnURL: String?

    /// Creates a request.
    public init(paymentID: String, amount: Money, description: String, returnURL: String?) {
        self.paymentID = paymentID
        self.amount = amount
        self.description = description
        self.returnURL = returnURL
    }
}

/// How a provider's payment ended.
public enum ProviderOutcome: String, Codable, Sendable, CaseIterable {
    /// The money arrived.
    case succeeded
    /// The customer or the bank refused.
    case failed
}

/// A verified notification from a provider.
public struct ProviderNotification: Codable, Sendable, Hashable {
    /// Our payment's id.
    public var paymentId: String
    /// What happened.
    public var outcome: ProviderOutcome
    /// The amount the provider took, in minor units; it must equal the payment's.
    public var amount: Int64

    /// Creates a notification.
    public init(paymentId: String, outcome: ProviderOutcome, amount: Int64) {
        self.paymentId = paymentId
        self.outcome = outcome
        self.amount = amount
    }
}

/// An online payment provider (a bank's acquiring, a payment gateway) behind one interface.
public protocol PaymentProvider: Sendable {
    /// The provider's name in orders and notification routes (`sandbox`).
    var name: String { get }
    /// Starts a payment; returns the URL where the customer confirms it.
    func checkout(_ request: ProviderCheckoutRequest) async throws -> String
    /// Verifies a notification's signature and parses it; throws `BillingError.invalidSignature` when it does not verify.
    func verify(body: [UInt8], signature: String?) throws -> ProviderNotification
    /// Returns money of a succeeded payment through the provider.
    func refund(paymentID: String, amount: Money) async throws
}
