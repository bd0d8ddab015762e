import Contracts
import Foundation
import Storage

/// SQL for the `customer_timeline` table.
enum TimelineStore {
    /// Adds an entry; an entry with the same id (the same event handled again) is left as it is.
    static func insert(_ entry: TimelineEntry, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO customer_timeline (id, customer_id, kind, source, summary, author_id, occurred_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (id) DO NOTHING
            """,
            entry.id, entry.customerId, entry.kind.rawValue, entry.source, entry.summary, entry.authorId, entry.occurredAt)
    }

    /// Up to `limit` entries of a customer, newest first, after `position` when given.
    static func page(customerID: String, after position: TimelinePosition?, limit: Int, in db: any SQLExecutor) async throws
        -> [TimelineEntry]
    {
        let rows: [SQLRow]
        let select = "SELECT id, customer_id, kind, source, summary, author_id, occurred_at FROM customer_timeline"
        if let position {
            rows = try await db.query(
                """
                \(select) WHERE customer_id = $1 AND (occurred_at, id) < ($2, $3)
                ORDER BY occurred_at DESC, id DESC LIMIT \(limit)
                """, customerID, position.t, position.i)
        } else {
            rows = try await db.query("\(select) WHERE customer_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT \(limit)", customerID)
        }
        return try rows.map(entry)
    }

    /// An entry from the columns of `select` above, which are its properties'.
    static func entry(_ row: SQLRow) throws -> TimelineEntry { try row.decode(TimelineEntry.self) }
}
