import Contracts
import Foundation
import Kernel
import Storage

/// The `subscription_suspensions` table: days a subscription was (or is) suspended for debt.
enum DebtStore {
    /// Records a suspension from `day`; one suspended and resumed on the same day before opens again.
    static func openSuspension(subscriptionID: String, from day: LocalDate, at time: Date, in tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            INSERT INTO subscription_suspensions (subscription_id, starts_on, ends_before, created_at) VALUES ($1, $2, NULL, $3)
            ON CONFLICT (subscription_id, starts_on) DO UPDATE SET ends_before = NULL
            """,
            subscriptionID, day.dayNumber, time)
    }

    /// Ends the subscription's open suspension before `day`; one that had not begun by then leaves no row.
    static func closeSuspension(subscriptionID: String, before day: LocalDate, in tx: any SQLExecutor) async throws {
        try await tx.query(
            "UPDATE subscription_suspensions SET ends_before = $1 WHERE subscription_id = $2 AND ends_before IS NULL", day.dayNumber, subscriptionID)
        try await tx.query("DELETE FROM subscription_suspensions WHERE subscription_id = $1 AND ends_before <= starts_on", subscriptionID)
    }
}
