import Contracts
import Foundation
import Storage

/// One row of `notifications`: what an event asked to tell one person, before routing.
struct NotificationRecord: Sendable, Equatable {
    var id: String
    var eventID: String
    var kind: String
    var category: NotificationCategory
    var critical: Bool
    var recipient: RecipientRef
    var data: [String: TemplateValue]
    /// An address the event gave (a password reset's e-mail).
    var email: String?
    var createdAt: Date
}

/// SQL for `notifications`.
enum NotificationStore {
    static let columns = "id, event_id, kind, category, critical, recipient_kind, recipient_id, data, created_at"

    /// The stored values: the template's, and the event's own address under a key no template uses.
    private struct Stored: Codable {
        var values: [String: TemplateValue]
        var email: String?
    }

    /// Adds a notification unless the same event already asked for it (an event delivered twice).
    static func insert(_ n: NotificationRecord, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO notifications (\(columns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (event_id, kind, recipient_kind, recipient_id) DO NOTHING
            """,
            n.id, n.eventID, n.kind, n.category.rawValue, n.critical, n.recipient.kind, n.recipient.id,
            StoreJSON.text(Stored(values: n.data, email: n.email)), n.createdAt)
    }

    /// The oldest notifications not routed yet.
    static func unrouted(limit: Int, in db: any SQLExecutor) async throws -> [NotificationRecord] {
        try await db.query(
            PreparedSQL("SELECT \(columns) FROM notifications WHERE routed_at IS NULL ORDER BY created_at, id LIMIT \(limit)"), []
        ).compactMap(read)
    }

    /// Marks a notification routed; false when another router did it first (the caller then writes nothing).
    static func markRouted(id: String, at now: Date, in db: any SQLExecutor) async throws -> Bool {
        !(try await db.query("UPDATE notifications SET routed_at = $2 WHERE id = $1 AND routed_at IS NULL RETURNING id", id, now)).isEmpty
    }

    static func read(_ row: SQLRow) throws -> NotificationRecord? {
        guard let recipient = RecipientRef(kind: try row.string("recipient_kind"), id: try row.string("recipient_id")),
            let category = NotificationCategory(rawValue: try row.string("category"))
        else { return nil }
        let stored = try StoreJSON.value(Stored.self, from: try row.string("data"))
        return NotificationRecord(
            id: try row.string("id"), eventID: try row.string("event_id"), kind: try row.string("kind"), category: category,
            critical: try row.bool("critical"), recipient: recipient, data: stored.values, email: stored.email,
            createdAt: try row.date("created_at"))
    }
}
