import Contracts
import Foundation
import Kernel
import Storage

// Saved payment methods: a provider saves a card on a first payment the customer asked to save it with, and gives us
// a token (never the card number); the customer lists them, pays with one, or deletes it.
extension BillingService {
    /// The account's saved payment methods.
    public func savedMethods(of owner: AccountOwner) async throws -> [SavedPaymentMethod] {
        let customerID = try await AccountStore.customerID(of: owner, in: database)
        return try await SavedMethodStore.list(customerID: customerID, in: database)
    }

    /// Forgets a saved method; autopay that charged it stops.
    public func deleteSavedMethod(id: String, of owner: AccountOwner) async throws {
        try await database.transaction { tx in
            let customerID = try await AccountStore.customerID(of: owner, in: tx)
            let now = self.clock.now()
            guard try await SavedMethodStore.delete(id: id, customerID: customerID, at: now, in: tx) else { throw BillingError.notFound }
            try await AutopayStore.disable(methodID: id, at: now, in: tx)
        }
    }

    /// The account's autopay.
    public func autopay(of owner: AccountOwner) async throws -> Autopay {
        let customerID = try await AccountStore.customerID(of: owner, in: database)
        return try await autopay(customerID: customerID, in: database)
    }

    /// Turns autopay on or off with a saved method of the account's own.
    public func setAutopay(of owner: AccountOwner, _ settings: AutopaySettings) async throws -> Autopay {
        if let threshold = settings.threshold {
            guard let topUp = settings.topUpAmount else {
                throw BillingError.invalidField(field: "topUpAmount", reason: "a threshold needs the amount to top up by")
            }
            try requirePositive(topUp, field: "topUpAmount")
            guard threshold.currency == self.settings.currency, threshold.minorUnits >= 0, threshold.minorUnits <= topUp.minorUnits * 100 else {
                throw BillingError.invalidField(field: "threshold", reason: "must be zero or positive and at most 100 top-ups")
            }
        } else if settings.topUpAmount != nil {
            throw BillingError.invalidField(field: "threshold", reason: "a top-up amount needs a threshold")
        }
        return try await database.transaction { tx in
            let customerID = try await AccountStore.customerID(of: owner, in: tx)
            guard try await SavedMethodStore.find(id: settings.methodId, customerID: customerID, in: tx) != nil else {
                throw BillingError.invalidField(field: "methodId", reason: "not a saved method of this account")
            }
            try await AutopayStore.set(customerID: customerID, settings, at: self.clock.now(), in: tx)
            return try await self.autopay(customerID: customerID, in: tx)
        }
    }

    private func autopay(customerID: String, in executor: any SQLExecutor) async throws -> Autopay {
        let maximum = paymentSettings.autopayMaximumFailures
        guard let row = try await AutopayStore.settings(customerID: customerID, in: executor) else {
            return Autopay(settings: nil, method: nil, failures: 0, maximumFailures: maximum)
        }
        let method = try await SavedMethodStore.find(id: row.methodID, customerID: customerID, in: executor)?.method
        let settings = AutopaySettings(
            enabled: row.enabled && method != nil, methodId: row.methodID, threshold: row.threshold.map(money),
            topUpAmount: row.topUpAmount.map(money))
        return Autopay(settings: settings, method: method, failures: row.failures, maximumFailures: maximum)
    }
}
