import Contracts
import Foundation
import Storage

/// SQL for `notification_templates`: every version operators wrote, the highest in force.
enum TemplateStore {
    static let columns = "kind, locale, version, title, body, email, action, author_id, created_at"

    /// The versions in force, by kind and language.
    static func current(in db: any SQLExecutor) async throws -> [String: NotificationTemplateInfo] {
        let rows = try await db.query(
            """
            SELECT \(columns) FROM notification_templates t
            WHERE version = (SELECT MAX(version) FROM notification_templates u WHERE u.kind = t.kind AND u.locale = t.locale)
            """, [])
        var found: [String: NotificationTemplateInfo] = [:]
        for row in rows {
            let info = try read(row)
            found["\(info.kind)/\(info.locale)"] = info
        }
        return found
    }

    static func versions(kind: String, locale: String, in db: any SQLExecutor) async throws -> [NotificationTemplateInfo] {
        try await db.query(
            "SELECT \(columns) FROM notification_templates WHERE kind = $1 AND locale = $2 ORDER BY version DESC", kind, locale
        ).map(read)
    }

    /// Adds the next version; the primary key makes two writers of one version fail rather than both win.
    static func add(kind: String, locale: String, _ texts: TemplateTexts, authorID: String, at now: Date, in db: any SQLExecutor) async throws
        -> Int
    {
        let next =
            try await db.query("SELECT COALESCE(MAX(version), 0) + 1 AS n FROM notification_templates WHERE kind = $1 AND locale = $2", kind, locale)[
                0
            ]
            .int("n")
        try await db.query(
            "INSERT INTO notification_templates (\(columns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", kind, locale, next, texts.title,
            texts.body, texts.email, texts.action, authorID, now)
        return next
    }

    static func read(_ row: SQLRow) throws -> NotificationTemplateInfo {
        let kind = try row.string("kind")
        return NotificationTemplateInfo(
            kind: kind, locale: try row.string("locale"), version: try row.int("version"),
            texts: TemplateTexts(
                title: try row.string("title"), body: try row.string("body"), email: try row.optionalString("email"),
                action: try row.optionalString("action")),
            variables: TemplateSamples.variables(of: kind), authorId: try row.optionalString("author_id"), createdAt: try row.date("created_at"))
    }
}
