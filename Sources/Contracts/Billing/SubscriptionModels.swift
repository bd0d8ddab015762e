import Foundation
import Kernel

/// Where a subscription stands.
public enum SubscriptionStatus: String, Codable, Sendable, CaseIterable {
    /// Service runs and is charged.
    case active
    /// Service stopped for debt; resumes on payment.
    case suspended
    /// Paused by the customer ("vacation"); not charged.
    case paused
    /// Ended.
    case terminated
}

/// A contract's subscription to a tariff.
public struct Subscription: Codable, Sendable, Hashable {
    /// The subscription's id.
    public var id: String
    /// The customer.
    public var customerId: String
    /// The contract (service address).
    public var contractId: String
    /// The tariff in force now.
    public var tariffId: String
    /// A tariff change booked for the next period, if any.
    public var nextTariffId: String?
    /// Standing.
    public var status: SubscriptionStatus
    /// First day of service.
    public var startsOn: LocalDate
    /// Last day of service, if it ends.
    public var endsOn: LocalDate?
    /// Last day of a pause in progress or booked.
    public var pausedUntil: LocalDate?

    /// Creates a subscription.
    public init(
        id: String, customerId: String, contractId: String, tariffId: String, nextTariffId: String?, status: SubscriptionStatus,
        startsOn: LocalDate, endsOn: LocalDate?, pausedUntil: LocalDate?
    ) {
        self.id = id
        self.customerId = customerId
        self.contractId = contractId
        self.tariffId = tariffId
        self.nextTariffId = nextTariffId
        self.status = status
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.pausedUntil = pausedUntil
    }
}

/// What subscribing takes.
public struct NewSubscription: Codable, Sendable, Hashable {
    /// The customer (their account must be open).
    public var customerId: String
    /// The contract.
    public var contractId: String
    /// The tariff (not archived).
    public var tariffId: String
    /// First day of service.
    public var startsOn: LocalDate

    /// Creates the input.
    public init(customerId: String, contractId: String, tariffId: String, startsOn: LocalDate) {
        self.customerId = customerId
        self.contractId = contractId
        self.tariffId = tariffId
        self.startsOn = startsOn
    }
}

/// When a tariff change takes effect.
public enum TariffChangeTiming: String, Codable, Sendable, CaseIterable {
    /// From today: unused days of the old tariff are credited, the rest of the month on the new one is charged.
    case now
    /// From the first day of the next period; nothing is charged now.
    case nextPeriod = "next_period"
}

/// A requested tariff change.
public struct TariffChange: Codable, Sendable, Hashable {
    /// The subscription.
    public var subscriptionId: String
    /// The new tariff.
    public var tariffId: String
    /// When it takes effect.
    public var timing: TariffChangeTiming

    /// Creates the request.
    public init(subscriptionId: String, tariffId: String, timing: TariffChangeTiming) {
        self.subscriptionId = subscriptionId
        self.tariffId = tariffId
        self.timing = timing
    }
}

/// The exact money of a tariff change.
public struct TariffChangePreview: Codable, Sendable, Hashable {
    /// The subscription.
    public var subscriptionId: String
    /// The tariff until the change.
    public var fromTariffId: String
    /// The tariff after it.
    public var toTariffId: String
    /// First day on the new tariff.
    public var effectiveOn: LocalDate
    /// Returned for the old tariff's unused days of this period (zero or positive).
    public var credit: Money
    /// Charged for the new tariff's days of this period (zero or positive).
    public var charge: Money
    /// Net effect on the balance: credit − charge.
    public var balanceChange: Money
    /// The new tariff's full monthly price.
    public var newMonthlyPrice: Money

    /// Creates a preview.
    public init(
        subscriptionId: String, fromTariffId: String, toTariffId: String, effectiveOn: LocalDate, credit: Money, charge: Money,
        balanceChange: Money, newMonthlyPrice: Money
    ) {
        self.subscriptionId = subscriptionId
        self.fromTariffId = fromTariffId
        self.toTariffId = toTariffId
        self.effectiveOn = effectiveOn
        self.credit = credit
        self.charge = charge
        self.balanceChange = balanceChange
        self.newMonthlyPrice = newMonthlyPrice
    }
}

/// A requested pause.
public struct SubscriptionPause: Codable, Sendable, Hashable {
    /// The subscription.
    public var subscriptionId: String
    /// First day without service (today or later).
    public var startsOn: LocalDate
    /// Number of days (bounded by configuration).
    public var days: Int

    /// Creates the request.
    public init(subscriptionId: String, startsOn: LocalDate, days: Int) {
        self.subscriptionId = subscriptionId
        self.startsOn = startsOn
        self.days = days
    }
}
