import Foundation

/// A prepared answer operators insert and edit: its text is a template with `{{customer.first_name}}`,
/// `{{customer.name}}`, `{{ticket.number}}`, `{{ticket.subject}}`, `{{ticket.about}}` (the invoice, payment or
/// subscription id) and `{{operator.name}}`.
public struct CannedReply: Codable, Sendable, Hashable {
    /// Its id.
    public var id: String
    /// A short title operators pick it by.
    public var title: String
    /// The template.
    public var text: String
    /// The category it suits, if one.
    public var category: TicketCategory?
    /// The language it is written in (`ru`, `en`).
    public var locale: String

    /// Creates the reply.
    public init(id: String, title: String, text: String, category: TicketCategory?, locale: String) {
        self.id = id
        self.title = title
        self.text = text
        self.category = category
        self.locale = locale
    }
}

/// What an administrator writes to create or change a canned reply.
public struct CannedReplyInput: Codable, Sendable, Hashable {
    /// Title, 1 to 100 characters.
    public var title: String
    /// Template, 1 to 5,000 characters, with the variables of ``CannedReply``.
    public var text: String
    /// The category it suits, if one.
    public var category: TicketCategory?
    /// `ru` or `en`.
    public var locale: String

    /// Creates the input.
    public init(title: String, text: String, category: TicketCategory? = nil, locale: String = "ru") {
        self.title = title
        self.text = text
        self.category = category
        self.locale = locale
    }
}

/// A customer's rating of how their ticket was handled.
public struct TicketRating: Codable, Sendable, Hashable {
    /// 1 (bad) to 5 (excellent).
    public var score: Int
    /// What they added, if anything.
    public var comment: String?
    /// When they rated.
    public var ratedAt: Date

    /// Creates the rating.
    public init(score: Int, comment: String?, ratedAt: Date) {
        self.score = score
        self.comment = comment
        self.ratedAt = ratedAt
    }
}

/// How customers rated one operator's resolved tickets over a period.
public struct OperatorSatisfaction: Codable, Sendable, Hashable {
    /// The operator.
    public var operatorId: String
    /// Their name.
    public var name: String
    /// Tickets they resolved in the period.
    public var resolved: Int
    /// Of those, how many were rated.
    public var rated: Int
    /// How many ratings of each score, 1 to 5 (index 0 is score 1).
    public var scores: [Int]
    /// The share of ratings of 4 or 5, in percent of the rated (CSAT), with one decimal; nil without ratings.
    public var csatPercent: Double?

    /// Creates the line.
    public init(operatorId: String, name: String, resolved: Int, rated: Int, scores: [Int], csatPercent: Double?) {
        self.operatorId = operatorId
        self.name = name
        self.resolved = resolved
        self.rated = rated
        self.scores = scores
        self.csatPercent = csatPercent
    }
}

/// The outcome of one ticket in a bulk change.
public struct BulkOutcome: Codable, Sendable, Hashable {
    /// The ticket.
    public var ticketId: String
    /// Its status afterwards, when the change was made.
    public var status: TicketStatus?
    /// Why it was not made: `not-found` or `invalid-transition`.
    public var refused: String?

    /// Creates the outcome.
    public init(ticketId: String, status: TicketStatus?, refused: String?) {
        self.ticketId = ticketId
        self.status = status
        self.refused = refused
    }
}
