import Foundation
import Kernel

/// A payment method the customer saved with a provider (a card's token; never its number).
public struct SavedPaymentMethod: Codable, Sendable, Hashable {
    /// Our id of it.
    public var id: String
    /// The provider that holds it.
    public var provider: String
    /// What the customer sees: `Visa •••• 4242`.
    public var title: String
    /// The card's expiry as `YYYY-MM`, when known.
    public var expires: String?
    /// When it was saved.
    public var createdAt: Date

    /// Creates the record.
    public init(id: String, provider: String, title: String, expires: String?, createdAt: Date) {
        self.id = id
        self.provider = provider
        self.title = title
        self.expires = expires
        self.createdAt = createdAt
    }
}

/// How the customer wants to be charged automatically.
public struct AutopaySettings: Codable, Sendable, Hashable {
    /// Whether autopay is on.
    public var enabled: Bool
    /// The saved method to charge.
    public var methodId: String
    /// Also top up when the balance falls below this (optional).
    public var threshold: Money?
    /// How much such a top-up takes (required with `threshold`).
    public var topUpAmount: Money?

    /// Creates settings.
    public init(enabled: Bool, methodId: String, threshold: Money? = nil, topUpAmount: Money? = nil) {
        self.enabled = enabled
        self.methodId = methodId
        self.threshold = threshold
        self.topUpAmount = topUpAmount
    }
}

/// The account's autopay as it stands.
public struct Autopay: Codable, Sendable, Hashable {
    /// The settings; `nil` when never set.
    public var settings: AutopaySettings?
    /// The method charged, when it still exists.
    public var method: SavedPaymentMethod?
    /// Failed charges in a row (autopay stops itself at ``maximumFailures``).
    public var failures: Int
    /// After how many failed charges in a row autopay turns itself off.
    public var maximumFailures: Int

    /// Creates the view.
    public init(settings: AutopaySettings?, method: SavedPaymentMethod?, failures: Int, maximumFailures: Int) {
        self.settings = settings
        self.method = method
        self.failures = failures
        self.maximumFailures = maximumFailures
    }
}
