import Contracts
import Foundation
import Kernel
import Storage

/// A customer brought into billing in bulk (from a previous billing system, demo data): their account and one
/// subscription.
public struct ImportedSubscriber: Sendable, Hashable {
    /// The customer whose account opens (or is open already, for the same user).
    public var customerId: String
    /// The user account the billing account belongs to.
    public var userId: String
    /// The contract subscribed.
    public var contractId: String
    /// The tariff (offered, with a price on `startsOn`).
    public var tariffId: String
    /// First day of service.
    public var startsOn: LocalDate

    /// Creates an imported subscriber.
    public init(customerId: String, userId: String, contractId: String, tariffId: String, startsOn: LocalDate) {
        self.customerId = customerId
        self.userId = userId
        self.contractId = contractId
        self.tariffId = tariffId
        self.startsOn = startsOn
    }

    /// The subscription as ``BillingService/createSubscription(_:)`` takes it.
    public var subscription: NewSubscription {
        NewSubscription(customerId: customerId, contractId: contractId, tariffId: tariffId, startsOn: startsOn)
    }
}

extension BillingService {
    /// Opens the accounts and creates the subscriptions of many customers in one transaction, writing what
    /// ``openAccount(customerID:userID:)`` then ``createSubscription(_:)`` write for each subscriber in order, and
    /// returns the subscriptions' ids in that order. All of them are created, or none.
    ///
    /// A new account whose subscriptions all start after the latest period a monthly run has started for is written
    /// set-based: its row with the credit limit of its tariffs, its subscriptions and their tariff segments, nothing
    /// else (one by one there is nothing to charge, the balance stays zero and no event is written). The other
    /// customers (an account open already, or a subscription starting in a period run already) go through the steps
    /// of `createSubscription` one subscription at a time, charging missed periods and applying debt with its ledger
    /// postings and events.
    @discardableResult
    public func importSubscribers(_ subscribers: [ImportedSubscriber]) async throws -> [String] {
        guard !subscribers.isEmpty else { return [] }
        var userOfCustomer: [String: String] = [:]
        var customerOrder: [String] = []
        for subscriber in subscribers {
            guard !subscriber.customerId.isEmpty else { throw BillingError.invalidField(field: "customerId", reason: "must not be empty") }
            guard !subscriber.userId.isEmpty else { throw BillingError.invalidField(field: "userId", reason: "must not be empty") }
            guard !subscriber.contractId.isEmpty else { throw BillingError.invalidField(field: "contractId", reason: "must not be empty") }
            if let user = userOfCustomer[subscriber.customerId] {
                guard user == subscriber.userId else { throw BillingError.conflict(reason: "the customer's account belongs to another user") }
            } else {
                userOfCustomer[subscriber.customerId] = subscriber.userId
                customerOrder.append(subscriber.customerId)
            }
        }
        // Time-ordered, as the run's invoice ids: a batch's subscriptions go in at the right edge of the key index.
        let prefix = OrderedID.prefix()
        let ids = subscribers.indices.map { OrderedID.make(prefix: prefix, sequence: $0) }
        let (currency, now, customers, users) = (settings.currency, clock.now(), customerOrder, userOfCustomer)
        return try await database.transaction { tx in
            let tariffs = try await ImportStore.tariffTerms(in: tx)
            for subscriber in subscribers { try Self.requireOffered(tariffs[subscriber.tariffId], on: subscriber.startsOn) }
            let latestRun = try await ImportStore.latestRunPeriod(in: tx)
            // A new account none of whose subscriptions start in a period run already needs no charge: its credit
            // limit is its tariffs' largest. The others open as `openAccount` opens them.
            var stepwise: Set<String> = []
            if let latestRun {
                for subscriber in subscribers where subscriber.startsOn.period <= latestRun { stepwise.insert(subscriber.customerId) }
            }
            var creditLimits: [String: Int64] = [:]
            for subscriber in subscribers where !stepwise.contains(subscriber.customerId) {
                creditLimits[subscriber.customerId] = max(creditLimits[subscriber.customerId] ?? 0, tariffs[subscriber.tariffId]?.creditLimit ?? 0)
            }
            let accounts = customers.map { customerID in
                ImportStore.AccountRow(customerID: customerID, userID: users[customerID]!, creditLimit: creditLimits[customerID] ?? 0)
            }
            let existing: [String: String]
            do {
                existing = try await ImportStore.openAccounts(accounts, currency: currency, at: now, in: tx)
            } catch StorageError.uniqueViolation {
                throw BillingError.conflict(reason: "the user has another billing account")
            }
            for (customerID, userID) in existing {
                guard users[customerID] == userID else { throw BillingError.conflict(reason: "the customer's account belongs to another user") }
                stepwise.insert(customerID)
            }
            let subscriptions = zip(ids, subscribers).filter { !stepwise.contains($0.1.customerId) }.map { id, subscriber in
                ImportStore.SubscriptionRow(
                    id: id, customerID: subscriber.customerId, contractID: subscriber.contractId, tariffID: subscriber.tariffId,
                    startsOn: subscriber.startsOn.dayNumber)
            }
            try await ImportStore.insertSubscriptions(subscriptions, at: now, in: tx)
            for (id, subscriber) in zip(ids, subscribers) where stepwise.contains(subscriber.customerId) {
                try await self.insertSubscription(id: id, subscriber.subscription, at: now, in: tx)
            }
            return ids
        }
    }

    /// The checks of `requireOfferedTariff`, on terms read once for the whole import.
    private static func requireOffered(_ tariff: ImportStore.TariffTerms?, on day: LocalDate) throws {
        guard let tariff else { throw BillingError.invalidField(field: "tariffId", reason: "no such tariff") }
        guard !tariff.isArchived else { throw BillingError.invalidField(field: "tariffId", reason: "the tariff is archived") }
        guard let pricedFrom = tariff.pricedFrom, pricedFrom <= day.dayNumber else {
            throw BillingError.invalidField(field: "tariffId", reason: "the tariff has no price on \(day)")
        }
    }
}
