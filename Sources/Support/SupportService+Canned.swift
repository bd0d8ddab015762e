import Contracts
import Foundation
import Kernel
import Mustache
import Storage

extension SupportService {
    /// Every canned reply, by title.
    public func cannedReplies() async throws -> [CannedReply] {
        try await database.query("SELECT id, title, body, category, locale FROM support_canned_replies ORDER BY title, id", []).map(Self.canned)
    }

    /// Creates or replaces a canned reply after checking its template compiles.
    public func setCannedReply(id: String?, _ input: CannedReplyInput) async throws -> CannedReply {
        let title = input.title.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(title.count) else { throw SupportError.invalidField(field: "title", reason: "1 to 100 characters") }
        let text = try TicketRules.text(input.text, field: "text")
        guard text.count <= 5_000 else { throw SupportError.invalidField(field: "text", reason: "at most 5000 characters") }
        guard (try? MustacheTemplate(string: text)) != nil else {
            throw SupportError.invalidField(field: "text", reason: "is not a valid template: check the {{ }} pairs")
        }
        guard input.locale == "ru" || input.locale == "en" else { throw SupportError.invalidField(field: "locale", reason: "ru or en") }
        if let id, (try await database.first("SELECT id FROM support_canned_replies WHERE id = $1", id)) == nil {
            throw SupportError.notFound
        }
        let reply = CannedReply(
            id: id ?? Identifier<CannedReply>.generate().rawValue, title: title, text: text, category: input.category, locale: input.locale)
        try await database.query(
            """
            INSERT INTO support_canned_replies (id, title, body, category, locale, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body, category = excluded.category,
                locale = excluded.locale, updated_at = excluded.updated_at
            """, reply.id, reply.title, reply.text, reply.category?.rawValue, reply.locale, clock.now())
        return reply
    }

    /// Deletes a canned reply; a missing one is not found.
    public func deleteCannedReply(id: String) async throws {
        guard !(try await database.query("DELETE FROM support_canned_replies WHERE id = $1 RETURNING id", id)).isEmpty else {
            throw SupportError.notFound
        }
    }

    /// A canned reply filled in for a ticket: the customer's name and first name, the ticket's number, subject and
    /// the object it is about, the operator's name. The result is plain text: nothing in it is HTML-escaped.
    public func renderCannedReply(id: String, ticketID: String, operatorID: String) async throws -> String {
        guard let row = try await database.first("SELECT id, title, body, category, locale FROM support_canned_replies WHERE id = $1", id)
        else { throw SupportError.notFound }
        let reply = try Self.canned(row)
        guard let ticket = try await TicketStore.find(id: ticketID, in: database) else { throw SupportError.notFound }
        let operatorName = try await AgentStore.find(userID: operatorID, in: database)?.name ?? SupportTexts.staffName(locale: ticket.locale)
        // Triple braces are what plain text needs; the template is compiled as written with `{{ }}` meaning the same.
        let template = try MustacheTemplate(string: "{{%CONTENT_TYPE:TEXT}}" + reply.text)
        let values: [String: Any] = [
            "customer": ["name": ticket.customerName, "first_name": PersonName.first(of: ticket.customerName)],
            "ticket": ["number": ticket.number, "subject": ticket.subject, "about": ticket.about?.id ?? ""],
            "operator": ["name": operatorName],
        ]
        return template.render(values)
    }

    private static func canned(_ row: SQLRow) throws -> CannedReply {
        CannedReply(
            id: try row.string("id"), title: try row.string("title"), text: try row.string("body"),
            category: try row.optionalString("category").flatMap(TicketCategory.init(rawValue:)), locale: try row.string("locale"))
    }
}
