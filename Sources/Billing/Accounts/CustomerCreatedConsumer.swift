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
            if event.email != nil || event.phone != nil {
                try await tx.query(
                    """
                    UPDATE billing_accounts SET receipt_email = $1, receipt_phone = $2
                    WHERE customer_id = $3 AND receipt_email IS NULL AND receipt_phone IS NULL
                    """,
                    event.email, event.phone, event.customerId)
            }
        }
    }
}
