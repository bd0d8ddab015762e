import Contracts
import Foundation
import Kernel
import Storage

/// Suspends and resumes a customer's subscriptions as their balance crosses minus the credit limit.
enum DebtStore {
    /// Suspends active subscriptions when the balance is below minus the credit limit, or resumes suspended ones when
    /// it is not; each change reports its event. Call it in the transaction that moved the balance.
    static func apply(customerID: String, at time: Date, in tx: any SQLExecutor) async throws {
        // A no-op UPDATE takes the account's row lock and reads its latest balance, so a payment committing meanwhile
        // cannot be overtaken by a decision made on the balance before it.
        guard
            let account = try await tx.first(
                "UPDATE billing_accounts SET balance = balance WHERE customer_id = $1 RETURNING balance, credit_limit, currency", customerID)
        else { return }
        let balance = try account.int64("balance")
        let currency = Currency(code: try account.string("currency")) ?? .rub
        if balance < -(try account.int64("credit_limit")) {
            let suspended = try await tx.query(
                "UPDATE subscriptions SET status = 'suspended' WHERE customer_id = $1 AND status = 'active' RETURNING id", customerID)
            for row in suspended {
                try await Outbox.append(
                    SubscriptionSuspended(
                        subscriptionId: try row.string("id"), customerId: customerID, balance: Money(minorUnits: balance, currency: currency)),
                    at: time, in: tx)
            }
        } else {
            let resumed = try await tx.query(
                "UPDATE subscriptions SET status = 'active' WHERE customer_id = $1 AND status = 'suspended' RETURNING id", customerID)
            for row in resumed {
                try await Outbox.append(SubscriptionResumed(subscriptionId: try row.string("id"), customerId: customerID), at: time, in: tx)
            }
        }
    }
}
