import Foundation
import Kernel

/// A customer opened a ticket (seed flow 4); Notifications, CRM and Monitoring consume it.
public struct TicketCreated: DomainEvent, Equatable {
    /// `ticket.created`
    public static let type = "ticket.created"
    /// Schema version.
    public static let version = 1
    /// The ticket.
    public var ticketId: String
    /// Its number.
    public var number: Int
    /// The customer.
    public var customerId: String
    /// Their user account (where notifications go).
    public var userId: String
    /// The category after routing.
    public var category: TicketCategory
    /// The priority.
    public var priority: TicketPriority
    /// The subject.
    public var subject: String
    /// The customer's service address line, if known (Monitoring groups tickets by area).
    public var address: String?
    /// The language it is answered in.
    public var locale: String

    /// Creates the event.
    public init(
        ticketId: String, number: Int, customerId: String, userId: String, category: TicketCategory, priority: TicketPriority,
        subject: String, address: String?, locale: String
    ) {
        self.ticketId = ticketId
        self.number = number
        self.customerId = customerId
        self.userId = userId
        self.category = category
        self.priority = priority
        self.subject = subject
        self.address = address
        self.locale = locale
    }
}

/// A ticket went to an operator, or back to the queue (`assigneeId` nil).
public struct TicketAssigned: DomainEvent, Equatable {
    /// `ticket.assigned`
    public static let type = "ticket.assigned"
    /// Schema version.
    public static let version = 1
    /// The ticket.
    public var ticketId: String
    /// Its number.
    public var number: Int
    /// The customer.
    public var customerId: String
    /// The operator who has it now, if anyone.
    public var assigneeId: String?
    /// Their name.
    public var assigneeName: String?
    /// Who had it before, if anyone.
    public var previousAssigneeId: String?
    /// The priority.
    public var priority: TicketPriority
    /// The category.
    public var category: TicketCategory

    /// Creates the event.
    public init(
        ticketId: String, number: Int, customerId: String, assigneeId: String?, assigneeName: String?, previousAssigneeId: String?,
        priority: TicketPriority, category: TicketCategory
    ) {
        self.ticketId = ticketId
        self.number = number
        self.customerId = customerId
        self.assigneeId = assigneeId
        self.assigneeName = assigneeName
        self.previousAssigneeId = previousAssigneeId
        self.priority = priority
        self.category = category
    }
}

/// A message was added to a ticket. An internal note's event carries no text, so no consumer can show it to the
/// customer.
public struct TicketMessageAdded: DomainEvent, Equatable {
    /// `ticket.message_added`
    public static let type = "ticket.message_added"
    /// Schema version.
    public static let version = 1
    /// The ticket.
    public var ticketId: String
    /// Its number.
    public var number: Int
    /// The customer.
    public var customerId: String
    /// Their user account.
    public var userId: String
    /// The message.
    public var messageId: String
    /// Who wrote it.
    public var author: TicketMessage.Author
    /// An operator-only note.
    public var isInternal: Bool
    /// The operator who has the ticket, if any.
    public var assigneeId: String?
    /// The language it is answered in.
    public var locale: String

    /// Creates the event.
    public init(
        ticketId: String, number: Int, customerId: String, userId: String, messageId: String, author: TicketMessage.Author,
        isInternal: Bool, assigneeId: String?, locale: String
    ) {
        self.ticketId = ticketId
        self.number = number
        self.customerId = customerId
        self.userId = userId
        self.messageId = messageId
        self.author = author
        self.isInternal = isInternal
        self.assigneeId = assigneeId
        self.locale = locale
    }
}

/// A ticket moved along its workflow.
public struct TicketStatusChanged: DomainEvent, Equatable {
    /// `ticket.status_changed`
    public static let type = "ticket.status_changed"
    /// Schema version.
    public static let version = 1
    /// The ticket.
    public var ticketId: String
    /// Its number.
    public var number: Int
    /// The customer.
    public var customerId: String
    /// Their user account.
    public var userId: String
    /// The status before.
    public var from: TicketStatus
    /// The status now.
    public var to: TicketStatus
    /// Who moved it (nil: the customer's reply or the system).
    public var changedBy: String?
    /// The category.
    public var category: TicketCategory
    /// The priority.
    public var priority: TicketPriority
    /// The operator who has it, if any.
    public var assigneeId: String?
    /// The language it is answered in.
    public var locale: String
    /// On resolution: the customer's one-click rating link without its score (append `&score=1` … `&score=5`), for
    /// the resolution message the notifications service sends.
    public var ratingURL: String?

    /// Creates the event.
    public init(
        ticketId: String, number: Int, customerId: String, userId: String, from: TicketStatus, to: TicketStatus, changedBy: String?,
        category: TicketCategory, priority: TicketPriority, assigneeId: String?, locale: String, ratingURL: String? = nil
    ) {
        self.ticketId = ticketId
        self.number = number
        self.customerId = customerId
        self.userId = userId
        self.from = from
        self.to = to
        self.changedBy = changedBy
        self.category = category
        self.priority = priority
        self.assigneeId = assigneeId
        self.locale = locale
        self.ratingURL = ratingURL
    }
}

/// A ticket missed an SLA target; supervisors are escalated to.
public struct TicketSLABreached: DomainEvent, Equatable {
    /// `ticket.sla_breached`
    public static let type = "ticket.sla_breached"
    /// Schema version.
    public static let version = 1
    /// The ticket.
    public var ticketId: String
    /// Its number.
    public var number: Int
    /// The customer.
    public var customerId: String
    /// The missed target.
    public var target: SLATargetKind
    /// When it fell due.
    public var dueAt: Date
    /// The priority.
    public var priority: TicketPriority
    /// The category.
    public var category: TicketCategory
    /// The operator who has it, if any.
    public var assigneeId: String?
    /// The supervisors escalated to.
    public var supervisorIds: [String]

    /// Creates the event.
    public init(
        ticketId: String, number: Int, customerId: String, target: SLATargetKind, dueAt: Date, priority: TicketPriority,
        category: TicketCategory, assigneeId: String?, supervisorIds: [String]
    ) {
        self.ticketId = ticketId
        self.number = number
        self.customerId = customerId
        self.target = target
        self.dueAt = dueAt
        self.priority = priority
        self.category = category
        self.assigneeId = assigneeId
        self.supervisorIds = supervisorIds
    }
}

/// Monitoring found an outage affecting an area (published by the monitoring service; Support raises the priority of
/// tickets from inside it).
public struct IncidentOpened: DomainEvent, Equatable {
    /// `incident.opened`
    public static let type = "incident.opened"
    /// Schema version.
    public static let version = 1
    /// The incident.
    public var incidentId: String
    /// A short description.
    public var title: String
    /// The affected areas, as address prefixes (`Москва, ул. Ленина`); a customer's address starting with one is inside.
    public var areas: [String]

    /// Creates the event.
    public init(incidentId: String, title: String, areas: [String]) {
        self.incidentId = incidentId
        self.title = title
        self.areas = areas
    }
}

/// An outage is over.
public struct IncidentResolved: DomainEvent, Equatable {
    /// `incident.resolved`
    public static let type = "incident.resolved"
    /// Schema version.
    public static let version = 1
    /// The incident.
    public var incidentId: String

    /// Creates the event.
    public init(incidentId: String) { self.incidentId = incidentId }
}
