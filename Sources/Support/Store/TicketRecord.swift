import Contracts
import Foundation
import Storage

/// One row of `support_tickets`.
struct TicketRecord: Sendable {
    var id: String
    var number: Int
    var customerID: String
    var userID: String
    var customerName: String
    var subject: String
    var requestedCategory: TicketCategory
    var category: TicketCategory
    var priority: TicketPriority
    var reasons: [PriorityReason]
    var status: TicketStatus
    var locale: String
    var address: String?
    var about: TicketSubject?
    var assigneeID: String?
    var createdAt: Date
    var updatedAt: Date
    var firstRespondedAt: Date?
    var awaitingReplySince: Date?
    var waitingSince: Date?
    /// Finished periods of waiting for the customer, oldest first.
    var paused: [PausePeriod]
    var resolvedAt: Date?
    var closedAt: Date?
    /// When the soonest running SLA target falls due (``TicketClock/standing`` while waiting for the customer).
    var slaDueAt: Date?
    /// When the soonest running SLA target's warning window starts.
    var slaWarnAt: Date?
    /// The ticket this duplicate was merged into.
    var mergedInto: String? = nil
    /// The customer's rating.
    var rating: TicketRating? = nil

    /// The columns, in the order ``read(_:)`` and ``TicketStore/insert(_:in:)`` use.
    static let columns = """
        id, number, customer_id, user_id, customer_name, subject, requested_category, category, priority, reasons, status, locale, address,
        about_kind, about_id, assignee_id, created_at, updated_at, first_responded_at, awaiting_reply_since, waiting_since, paused,
        resolved_at, closed_at, sla_due_at, sla_warn_at, merged_into, rating, rating_comment, rated_at
        """

    static func read(_ row: SQLRow) throws -> TicketRecord {
        func decode<Value: Decodable>(_ type: Value.Type, _ column: String) throws -> Value {
            try JSONDecoder().decode(type, from: Data(try row.string(column).utf8))
        }
        var about: TicketSubject?
        if let kind = try row.optionalString("about_kind").flatMap(TicketSubject.Kind.init(rawValue:)), let id = try row.optionalString("about_id") {
            about = TicketSubject(kind: kind, id: id)
        }
        return TicketRecord(
            id: try row.string("id"), number: try row.int("number"), customerID: try row.string("customer_id"), userID: try row.string("user_id"),
            customerName: try row.string("customer_name"), subject: try row.string("subject"),
            requestedCategory: try enumValue(row, "requested_category"), category: try enumValue(row, "category"),
            priority: try enumValue(row, "priority"), reasons: try decode([PriorityReason].self, "reasons"), status: try enumValue(row, "status"),
            locale: try row.string("locale"), address: try row.optionalString("address"), about: about,
            assigneeID: try row.optionalString("assignee_id"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
            firstRespondedAt: try row.optionalDate("first_responded_at"), awaitingReplySince: try row.optionalDate("awaiting_reply_since"),
            waitingSince: try row.optionalDate("waiting_since"), paused: try decode([PausePeriod].self, "paused"),
            resolvedAt: try row.optionalDate("resolved_at"), closedAt: try row.optionalDate("closed_at"),
            slaDueAt: try row.optionalDate("sla_due_at"), slaWarnAt: try row.optionalDate("sla_warn_at"),
            mergedInto: try row.optionalString("merged_into"), rating: try rating(row))
    }

    private static func rating(_ row: SQLRow) throws -> TicketRating? {
        guard let score = try row.optionalInt64("rating"), let at = try row.optionalDate("rated_at") else { return nil }
        return TicketRating(score: Int(score), comment: try row.optionalString("rating_comment"), ratedAt: at)
    }

    private static func enumValue<Value: RawRepresentable>(_ row: SQLRow, _ column: String) throws -> Value where Value.RawValue == String {
        let text = try row.string(column)
        guard let value = Value(rawValue: text) else { throw StorageError.decoding(column: column, expected: "a known value, not \(text)") }
        return value
    }

    /// Stores the SLA instants queues and the watcher use, after a change at `now`.
    mutating func clockChanged(_ clock: TicketClock, at now: Date) {
        (slaDueAt, slaWarnAt) = clock.deadlines(of: self, at: now)
    }

    func summary(assignee: TicketParticipant?) -> TicketSummary {
        TicketSummary(
            id: id, number: number, customerId: customerID, subject: subject, category: category, priority: priority, status: status,
            assignee: assignee, createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// A finished period of waiting for the customer, when the SLA clock stood still.
struct PausePeriod: Codable, Sendable, Hashable {
    /// Start.
    var from: Date
    /// End.
    var to: Date
}
