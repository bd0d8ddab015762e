import Contracts
import Foundation
import Kernel
import Messaging
import Storage

extension BillingService {
    /// Opens the billing account of every new customer (`customer.created`), in the inbox's transaction.
    public func customerCreatedConsumer() -> EventConsumer {
        let (currency, clock) = (settings.currency, clock)
        return EventConsumer(name: "billing.open-account", types: [CustomerCreated.type]) { envelope, tx in
            let event = try envelope.decode(CustomerCreated.self)
            _ = try await AccountStore.open(customerID: event.customerId, userID: event.userId, currency: currency, at: clock.now(), in: tx)
        }
    }
}
