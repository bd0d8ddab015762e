import Foundation

/// The inbox: makes every consumer idempotent per (consumer, event id).
public enum Inbox {
    /// Records that `consumer` handles `eventID` inside `transaction`; `false` when it was handled before.
    ///
    /// Call it first in the transaction that applies the handler's changes, so both commit or neither does.
    public static func claim(consumer: String, eventID: String, at time: Date, in transaction: any SQLExecutor) async throws -> Bool {
        let rows = try await transaction.query(
            """
            INSERT INTO inbox_events (consumer, event_id, handled_at) VALUES ($1, $2, $3)
            ON CONFLICT DO NOTHING RETURNING event_id
            """,
            consumer, eventID, time)
        return !rows.isEmpty
    }
}
