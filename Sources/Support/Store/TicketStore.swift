import Contracts
import Foundation
import Storage

/// SQL for `support_tickets` and `support_messages`.
enum TicketStore {
    /// The next ticket number.
    static func nextNumber(in db: any SQLExecutor) async throws -> Int {
        let sql =
            db.dialect == .postgres
            ? "SELECT nextval('support_ticket_numbers') AS n" : "SELECT COALESCE(MAX(number), 0) + 1 AS n FROM support_tickets"
        return try await db.query(sql, [])[0].int("n")
    }

    static func insert(_ t: TicketRecord, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO support_tickets (\(TicketRecord.columns), priority_rank)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26,
                $27, $28, $29, $30, $31)
            """,
            t.id, t.number, t.customerID, t.userID, t.customerName, t.subject, t.requestedCategory.rawValue, t.category.rawValue,
            t.priority.rawValue, json(t.reasons), t.status.rawValue, t.locale, t.address, t.about?.kind.rawValue, t.about?.id, t.assigneeID,
            t.createdAt, t.updatedAt, t.firstRespondedAt, t.awaitingReplySince, t.waitingSince, json(t.paused), t.resolvedAt, t.closedAt,
            t.slaDueAt, t.slaWarnAt, t.mergedInto, t.rating?.score, t.rating?.comment, t.rating?.ratedAt, t.priority.rank)
    }

    /// Adds `text` to what finds the ticket in searches (its subject, each message).
    static func index(_ text: String, ticketID: String, in db: any SQLExecutor) async throws {
        if db.dialect == .postgres {
            try await db.query("UPDATE support_tickets SET search = search || to_tsvector('russian', $2) WHERE id = $1", ticketID, text)
        } else {
            try await db.query("INSERT INTO support_search (ticket_id, body) VALUES ($1, $2)", ticketID, text)
        }
    }

    /// The search condition over the tickets of a query, binding `text` with `bind`: PostgreSQL's `plainto_tsquery`
    /// (every word, stemmed), or every word as an FTS5 phrase (quoted, so the customer's text is never FTS syntax).
    static func searchCondition(_ text: String, dialect: SQLDialect, bind: (any SQLBindable) -> String) -> String {
        if dialect == .postgres { return "search @@ plainto_tsquery('russian', \(bind(text)))" }
        let words = text.split(whereSeparator: { $0.isWhitespace }).map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return "id IN (SELECT ticket_id FROM support_search WHERE support_search MATCH \(bind(words.joined(separator: " "))))"
    }

    /// Writes what a change may touch: status, assignee and the clock's columns.
    static func update(_ t: TicketRecord, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            UPDATE support_tickets SET status = $2, assignee_id = $3, updated_at = $4, first_responded_at = $5, awaiting_reply_since = $6,
                waiting_since = $7, paused = $8, resolved_at = $9, closed_at = $10, sla_due_at = $11, sla_warn_at = $12
            WHERE id = $1
            """,
            t.id, t.status.rawValue, t.assigneeID, t.updatedAt, t.firstRespondedAt, t.awaitingReplySince, t.waitingSince, json(t.paused),
            t.resolvedAt, t.closedAt, t.slaDueAt, t.slaWarnAt)
    }

    /// One ticket; with `forUpdate`, locked for the rest of the transaction on PostgreSQL.
    static func find(id: String, forUpdate: Bool = false, in db: any SQLExecutor) async throws -> TicketRecord? {
        let lock = forUpdate && db.dialect == .postgres ? " FOR UPDATE" : ""
        return try await db.query("SELECT \(TicketRecord.columns) FROM support_tickets WHERE id = $1\(lock)", id).first.map(TicketRecord.read)
    }

    /// Adds a message after the ticket's others; the caller holds the ticket's row.
    static func insertMessage(_ m: TicketMessage, ticketID: String, in db: any SQLExecutor) async throws {
        try await db.query(
            """
            INSERT INTO support_messages (id, ticket_id, seq, author, author_id, author_name, internal, body, created_at)
            VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM support_messages WHERE ticket_id = $2), $3, $4, $5, $6, $7, $8)
            """,
            m.id, ticketID, m.author.rawValue, m.from.id, m.from.name, m.isInternal, m.text, m.createdAt)
    }

    /// A ticket's messages, oldest first; internal notes only when `includeInternal`.
    static func messages(ticketID: String, includeInternal: Bool, in db: any SQLExecutor) async throws -> [TicketMessage] {
        let select = "SELECT id, author, author_id, author_name, internal, body, created_at FROM support_messages WHERE ticket_id = $1"
        let rows =
            includeInternal
            ? try await db.query("\(select) ORDER BY seq", ticketID)
            : try await db.query("\(select) AND internal = $2 ORDER BY seq", ticketID, false)
        let attachments = try await AttachmentStore.byMessage(ticketID: ticketID, in: db)
        return try rows.map { row in
            TicketMessage(
                id: try row.string("id"), author: TicketMessage.Author(rawValue: try row.string("author")) ?? .system,
                from: TicketParticipant(id: try row.optionalString("author_id"), name: try row.string("author_name")),
                isInternal: try row.bool("internal"), text: try row.string("body"), attachments: attachments[try row.string("id")] ?? [],
                createdAt: try row.date("created_at"))
        }
    }

    /// The categories and times of a customer's tickets opened since `since`.
    static func recent(customerID: String, since: Date, in db: any SQLExecutor) async throws -> [(TicketCategory, Date)] {
        try await db.query("SELECT category, created_at FROM support_tickets WHERE customer_id = $1 AND created_at >= $2", customerID, since)
            .compactMap { row in
                guard let category = TicketCategory(rawValue: try row.string("category")) else { return nil }
                return (category, try row.date("created_at"))
            }
    }

    /// A user's tickets, newest first, after `position`.
    static func ofUser(_ userID: String, after position: TicketPosition?, limit: Int, in db: any SQLExecutor) async throws -> [TicketRecord] {
        let select = "SELECT \(TicketRecord.columns) FROM support_tickets WHERE user_id = $1"
        let rows =
            if let position {
                try await db.query(
                    "\(select) AND (created_at, id) < ($2, $3) ORDER BY created_at DESC, id DESC LIMIT \(limit)", userID, position.t, position.i)
            } else {
                try await db.query("\(select) ORDER BY created_at DESC, id DESC LIMIT \(limit)", userID)
            }
        return try rows.map(TicketRecord.read)
    }

    /// Active tickets of a customer in `categories`, locked for update.
    static func active(customerID: String, categories: [TicketCategory], in db: any SQLExecutor) async throws -> [TicketRecord] {
        let lock = db.dialect == .postgres ? " FOR UPDATE" : ""
        let list = categories.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try await db.query(
            """
            SELECT \(TicketRecord.columns) FROM support_tickets
            WHERE customer_id = $1 AND status IN ('new', 'open') AND category IN (\(list)) ORDER BY created_at\(lock)
            """, customerID
        ).map(TicketRecord.read)
    }

    /// Active tickets about one object, locked for update.
    static func about(_ subject: TicketSubject, in db: any SQLExecutor) async throws -> [TicketRecord] {
        let lock = db.dialect == .postgres ? " FOR UPDATE" : ""
        return try await db.query(
            """
            SELECT \(TicketRecord.columns) FROM support_tickets
            WHERE about_kind = $1 AND about_id = $2 AND status IN ('new', 'open', 'waiting_for_customer') ORDER BY created_at\(lock)
            """, subject.kind.rawValue, subject.id
        ).map(TicketRecord.read)
    }

    static func json<Value: Encodable>(_ value: Value) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

/// Where a page of a customer's tickets ended.
struct TicketPosition: Codable, Sendable, Hashable {
    /// Created at.
    var t: Date
    /// Id.
    var i: String
}
