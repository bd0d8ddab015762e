import Foundation

/// What a customer sends to open a ticket.
public struct NewTicket: Codable, Sendable, Hashable {
    /// A short subject (up to 200 characters).
    public var subject: String
    /// The first message (up to 10,000 characters).
    public var text: String
    /// What it is about.
    public var category: TicketCategory
    /// The invoice, payment or subscription it concerns, if any.
    public var about: TicketSubject?

    /// Creates the request.
    public init(subject: String, text: String, category: TicketCategory, about: TicketSubject? = nil) {
        self.subject = subject
        self.text = text
        self.category = category
        self.about = about
    }
}

/// The object a ticket is about.
public struct TicketSubject: Codable, Sendable, Hashable {
    /// What kind of object.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// An invoice.
        case invoice
        /// A payment.
        case payment
        /// A subscription.
        case subscription
    }

    /// Its kind.
    public var kind: Kind
    /// Its id.
    public var id: String

    /// Creates the reference.
    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }
}

/// Who opens a ticket, as the gateway knows them: the facts the priority rules weigh.
///
/// The gateway fills it from the customer's card and billing account; a fact it could not learn (billing down)
/// is `nil`, and the rules that need it do not fire.
public struct TicketRequester: Codable, Sendable, Hashable {
    /// The customer.
    public var customerId: String
    /// Their user account.
    public var userId: String
    /// Their name as operators greet them (the first name, or the full name).
    public var name: String
    /// `ru` or `en`: the language the ticket is answered in.
    public var locale: String
    /// The service address of their first active contract, as one line (`город, улица, дом`), matched against outages.
    public var address: String?
    /// Whether their service is suspended for debt.
    public var suspended: Bool?
    /// The names of their current tariffs.
    public var tariffs: [String]?

    /// Creates the requester.
    public init(
        customerId: String, userId: String, name: String, locale: String, address: String? = nil, suspended: Bool? = nil,
        tariffs: [String]? = nil
    ) {
        self.customerId = customerId
        self.userId = userId
        self.name = name
        self.locale = locale
        self.address = address
        self.suspended = suspended
        self.tariffs = tariffs
    }
}

/// A ticket as lists show it.
public struct TicketSummary: Codable, Sendable, Hashable {
    /// Its id.
    public var id: String
    /// Its number, as people quote it.
    public var number: Int
    /// The customer.
    public var customerId: String
    /// The subject.
    public var subject: String
    /// The category (after routing: a suspended customer's "no connection" is a billing matter).
    public var category: TicketCategory
    /// The priority.
    public var priority: TicketPriority
    /// Where it is in the workflow.
    public var status: TicketStatus
    /// The operator who has it, if any.
    public var assignee: TicketParticipant?
    /// When it was opened.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// Creates the summary.
    public init(
        id: String, number: Int, customerId: String, subject: String, category: TicketCategory, priority: TicketPriority,
        status: TicketStatus, assignee: TicketParticipant?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.number = number
        self.customerId = customerId
        self.subject = subject
        self.category = category
        self.priority = priority
        self.status = status
        self.assignee = assignee
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A ticket with its conversation and SLA clock.
public struct Ticket: Codable, Sendable, Hashable {
    /// What lists show.
    public var summary: TicketSummary
    /// The category the customer chose.
    public var requestedCategory: TicketCategory
    /// What it is about, if anything.
    public var about: TicketSubject?
    /// Why it has its priority and category (operators only; empty for customers).
    public var reasons: [PriorityReason]
    /// The language it is answered in.
    public var locale: String
    /// The conversation, oldest first; internal notes only for operators.
    public var messages: [TicketMessage]
    /// The SLA clock (nil once closed).
    public var sla: TicketSLA?
    /// When an operator first answered.
    public var firstRespondedAt: Date?
    /// When it was resolved (the last time).
    public var resolvedAt: Date?
    /// When it closed.
    public var closedAt: Date?
    /// The ticket it was merged into, if it was a duplicate.
    public var mergedInto: String?
    /// The customer's rating, once given.
    public var rating: TicketRating?

    /// Creates the ticket.
    public init(
        summary: TicketSummary, requestedCategory: TicketCategory, about: TicketSubject?, reasons: [PriorityReason], locale: String,
        messages: [TicketMessage], sla: TicketSLA?, firstRespondedAt: Date?, resolvedAt: Date?, closedAt: Date?, mergedInto: String? = nil,
        rating: TicketRating? = nil
    ) {
        self.summary = summary
        self.requestedCategory = requestedCategory
        self.about = about
        self.reasons = reasons
        self.locale = locale
        self.messages = messages
        self.sla = sla
        self.firstRespondedAt = firstRespondedAt
        self.resolvedAt = resolvedAt
        self.closedAt = closedAt
        self.mergedInto = mergedInto
        self.rating = rating
    }
}

/// Someone in a ticket's conversation.
public struct TicketParticipant: Codable, Sendable, Hashable {
    /// Their user id (nil for the system).
    public var id: String?
    /// Their name as the other side sees it.
    public var name: String

    /// Creates the participant.
    public init(id: String?, name: String) {
        self.id = id
        self.name = name
    }
}

/// One message of a ticket's conversation.
public struct TicketMessage: Codable, Sendable, Hashable {
    /// Who wrote a message.
    public enum Author: String, Codable, Sendable, CaseIterable {
        /// The customer.
        case customer
        /// An operator.
        case `operator`
        /// LastMile itself (a payment arrived, the ticket closed).
        case system
    }

    /// Its id.
    public var id: String
    /// Who wrote it.
    public var author: Author
    /// Their id and name.
    public var from: TicketParticipant
    /// An operator-only note, never shown to the customer.
    public var isInternal: Bool
    /// The text, as written (plain text: markup is shown as text).
    public var text: String
    /// The files it carries.
    public var attachments: [TicketAttachment]
    /// When it was written.
    public var createdAt: Date

    /// Creates the message.
    public init(
        id: String, author: Author, from: TicketParticipant, isInternal: Bool, text: String, attachments: [TicketAttachment] = [],
        createdAt: Date
    ) {
        self.id = id
        self.author = author
        self.from = from
        self.isInternal = isInternal
        self.text = text
        self.attachments = attachments
        self.createdAt = createdAt
    }
}

/// A reply to a ticket.
public struct NewTicketMessage: Codable, Sendable, Hashable {
    /// The text (up to 10,000 characters).
    public var text: String
    /// An internal note (operators only).
    public var isInternal: Bool

    /// Creates the reply.
    public init(text: String, isInternal: Bool = false) {
        self.text = text
        self.isInternal = isInternal
    }
}

/// Who is looking at a ticket: what they may see and do follows from it.
public enum TicketViewer: Codable, Sendable, Hashable {
    /// The customer (by their user id), who sees only their own tickets and no internal notes.
    case customer(userID: String)
    /// An operator (by user id).
    case staff(String)
}

/// The operators' queues.
public enum TicketQueue: String, Codable, Sendable, CaseIterable {
    /// Active tickets assigned to the operator asking.
    case mine
    /// Active tickets nobody has.
    case unassigned
    /// Active tickets whose SLA is in its warning window or breached.
    case breaching
    /// Every active ticket.
    case active
    /// Every ticket, closed ones too.
    case all
}

/// A filter over tickets for operators.
public struct TicketFilter: Codable, Sendable, Hashable {
    /// The queue.
    public var queue: TicketQueue
    /// Only this category.
    public var category: TicketCategory?
    /// Only this status.
    public var status: TicketStatus?
    /// Only this customer's.
    public var customerId: String?
    /// Words to find in subjects and messages, internal notes included (full-text: Russian and English stems on
    /// PostgreSQL, whole words on SQLite); up to 100 characters.
    public var text: String?

    /// Creates the filter.
    public init(
        queue: TicketQueue = .active, category: TicketCategory? = nil, status: TicketStatus? = nil, customerId: String? = nil,
        text: String? = nil
    ) {
        self.queue = queue
        self.category = category
        self.status = status
        self.customerId = customerId
        self.text = text
    }
}
