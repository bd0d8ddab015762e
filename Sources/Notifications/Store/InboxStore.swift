import Contracts
import Foundation
import Storage

/// SQL for `notification_inbox`.
enum InboxStore {
    static let columns = "id, category, kind, title, body, link, created_at, read_at"

    /// Adds an item unless its notification has one already.
    static func insert(_ item: InboxItem, notificationID: String, userID: String, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO notification_inbox (\(columns), notification_id, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (notification_id) DO NOTHING
            """,
            item.id, item.category.rawValue, item.kind, item.title, item.body, item.link, item.createdAt, item.readAt, notificationID, userID)
    }

    /// A page, newest first, after `position` (the created time and id of the previous page's last item).
    static func page(userID: String, unreadOnly: Bool, after position: (Date, String)?, limit: Int, in db: any SQLExecutor) async throws
        -> [InboxItem]
    {
        var sql = "SELECT \(columns) FROM notification_inbox WHERE user_id = $1"
        var values: [SQLValue] = [.text(userID)]
        if unreadOnly { sql += " AND read_at IS NULL" }
        if let (at, id) = position {
            values += [at.sqlValue, .text(id)]
            sql += " AND (created_at < $2 OR (created_at = $2 AND id < $3))"
        }
        sql += " ORDER BY created_at DESC, id DESC LIMIT \(limit)"
        return try await db.query(PreparedSQL(sql), values).map(read)
    }

    static func unread(userID: String, in db: any SQLExecutor) async throws -> Int {
        try await db.query("SELECT COUNT(*) AS n FROM notification_inbox WHERE user_id = $1 AND read_at IS NULL", userID)[0].int("n")
    }

    static func markRead(ids: [String]?, userID: String, at now: Date, in db: any SQLExecutor) async throws {
        guard let ids else {
            try await db.query("UPDATE notification_inbox SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL", userID, now)
            return
        }
        guard !ids.isEmpty else { return }
        let list = ids.indices.map { "$\($0 + 3)" }.joined(separator: ", ")
        try await db.query(
            PreparedSQL("UPDATE notification_inbox SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL AND id IN (\(list))"),
            [.text(userID), now.sqlValue] + ids.map { SQLValue.text($0) })
    }

    static func read(_ row: SQLRow) throws -> InboxItem {
        InboxItem(
            id: try row.string("id"), category: NotificationCategory(rawValue: try row.string("category")) ?? .news, kind: try row.string("kind"),
            title: try row.string("title"), body: try row.string("body"), link: try row.optionalString("link"),
            createdAt: try row.date("created_at"), readAt: try row.optionalDate("read_at"))
    }
}
