import Foundation
import Kernel

/// ``SupportAPI`` as the support service's internal HTTP API: one ``RemoteOperation`` per method.
public enum SupportOperations {
    /// The service that answers these operations.
    public static let service = "support"

    /// The arguments of ``SupportAPI/createTicket(_:requester:)``.
    public struct CreateInput: Codable, Sendable {
        /// The ticket.
        public var ticket: NewTicket
        /// Who opens it.
        public var requester: TicketRequester
        /// Creates the body.
        public init(ticket: NewTicket, requester: TicketRequester) {
            self.ticket = ticket
            self.requester = requester
        }
    }

    /// The arguments of ``SupportAPI/ticket(id:viewer:)``.
    public struct TicketInput: Codable, Sendable {
        /// The ticket.
        public var id: String
        /// Who looks.
        public var viewer: TicketViewer
        /// Creates the body.
        public init(id: String, viewer: TicketViewer) {
            self.id = id
            self.viewer = viewer
        }
    }

    /// The arguments of ``SupportAPI/tickets(ofUser:page:)``.
    public struct UserTicketsInput: Codable, Sendable {
        /// The customer's user.
        public var userID: String
        /// Which page.
        public var page: PageRequest
        /// Creates the body.
        public init(userID: String, page: PageRequest) {
            self.userID = userID
            self.page = page
        }
    }

    /// The arguments of ``SupportAPI/tickets(matching:operatorID:page:)``.
    public struct QueueInput: Codable, Sendable {
        /// The filter.
        public var filter: TicketFilter
        /// The operator asking.
        public var operatorID: String
        /// Which page.
        public var page: PageRequest
        /// Creates the body.
        public init(filter: TicketFilter, operatorID: String, page: PageRequest) {
            self.filter = filter
            self.operatorID = operatorID
            self.page = page
        }
    }

    /// The arguments of ``SupportAPI/addMessage(ticketID:_:viewer:)``.
    public struct MessageInput: Codable, Sendable {
        /// The ticket.
        public var ticketID: String
        /// The message.
        public var message: NewTicketMessage
        /// Who writes.
        public var viewer: TicketViewer
        /// Creates the body.
        public init(ticketID: String, message: NewTicketMessage, viewer: TicketViewer) {
            self.ticketID = ticketID
            self.message = message
            self.viewer = viewer
        }
    }

    /// The arguments of ``SupportAPI/addAttachment(ticketID:_:viewer:)``.
    public struct AttachmentInput: Codable, Sendable {
        /// The ticket.
        public var ticketID: String
        /// The file.
        public var upload: AttachmentUpload
        /// Who sends it.
        public var viewer: TicketViewer
        /// Creates the body.
        public init(ticketID: String, upload: AttachmentUpload, viewer: TicketViewer) {
            self.ticketID = ticketID
            self.upload = upload
            self.viewer = viewer
        }
    }

    /// The arguments of ``SupportAPI/attachment(id:ticketID:viewer:)``.
    public struct AttachmentQuery: Codable, Sendable {
        /// The attachment.
        public var id: String
        /// Its ticket.
        public var ticketID: String
        /// Who asks.
        public var viewer: TicketViewer
        /// Creates the body.
        public init(id: String, ticketID: String, viewer: TicketViewer) {
            self.id = id
            self.ticketID = ticketID
            self.viewer = viewer
        }
    }

    /// The arguments of ``SupportAPI/changeStatus(ticketID:to:operatorID:)``.
    public struct StatusInput: Codable, Sendable {
        /// The ticket.
        public var ticketID: String
        /// The new status.
        public var status: TicketStatus
        /// The operator.
        public var operatorID: String
        /// Creates the body.
        public init(ticketID: String, status: TicketStatus, operatorID: String) {
            self.ticketID = ticketID
            self.status = status
            self.operatorID = operatorID
        }
    }

    /// The arguments of ``SupportAPI/assign(ticketID:to:operatorID:)``.
    public struct AssignInput: Codable, Sendable {
        /// The ticket.
        public var ticketID: String
        /// The operator who takes it, or nil for the queue.
        public var assigneeID: String?
        /// The operator assigning.
        public var operatorID: String
        /// Creates the body.
        public init(ticketID: String, assigneeID: String?, operatorID: String) {
            self.ticketID = ticketID
            self.assigneeID = assigneeID
            self.operatorID = operatorID
        }
    }

    /// The arguments of ``SupportAPI/setAgent(userID:_:)``.
    public struct AgentInput: Codable, Sendable {
        /// The operator's user.
        public var userID: String
        /// Their profile.
        public var profile: AgentProfile
        /// Creates the body.
        public init(userID: String, profile: AgentProfile) {
            self.userID = userID
            self.profile = profile
        }
    }

    /// The arguments of ``SupportAPI/setAgentState(userID:_:)``.
    public struct AgentStateInput: Codable, Sendable {
        /// The operator's user.
        public var userID: String
        /// Their presence.
        public var state: AgentState
        /// Creates the body.
        public init(userID: String, state: AgentState) {
            self.userID = userID
            self.state = state
        }
    }

    /// The arguments of ``SupportAPI/changeStatus(ticketIDs:to:operatorID:)``.
    public struct BulkStatusInput: Codable, Sendable {
        /// The tickets.
        public var ticketIDs: [String]
        /// The new status.
        public var status: TicketStatus
        /// The operator.
        public var operatorID: String
        /// Creates the body.
        public init(ticketIDs: [String], status: TicketStatus, operatorID: String) {
            self.ticketIDs = ticketIDs
            self.status = status
            self.operatorID = operatorID
        }
    }

    /// The arguments of ``SupportAPI/merge(ticketID:into:operatorID:)``.
    public struct MergeInput: Codable, Sendable {
        /// The duplicate.
        public var ticketID: String
        /// The ticket it goes into.
        public var targetID: String
        /// The operator.
        public var operatorID: String
        /// Creates the body.
        public init(ticketID: String, targetID: String, operatorID: String) {
            self.ticketID = ticketID
            self.targetID = targetID
            self.operatorID = operatorID
        }
    }

    /// The arguments of ``SupportAPI/rate(ticketID:score:token:comment:)``.
    public struct RateInput: Codable, Sendable {
        /// The ticket.
        public var ticketID: String
        /// 1 to 5.
        public var score: Int
        /// The link's token.
        public var token: String
        /// A comment, if any.
        public var comment: String?
        /// Creates the body.
        public init(ticketID: String, score: Int, token: String, comment: String?) {
            self.ticketID = ticketID
            self.score = score
            self.token = token
            self.comment = comment
        }
    }

    /// The arguments of ``SupportAPI/satisfaction(from:to:)``.
    public struct PeriodInput: Codable, Sendable {
        /// Start, inclusive.
        public var from: Date
        /// End, exclusive.
        public var to: Date
        /// Creates the body.
        public init(from: Date, to: Date) {
            self.from = from
            self.to = to
        }
    }

    /// The arguments of ``SupportAPI/setCannedReply(id:_:)``.
    public struct CannedInput: Codable, Sendable {
        /// The reply to replace, or nil for a new one.
        public var id: String?
        /// Its content.
        public var reply: CannedReplyInput
        /// Creates the body.
        public init(id: String?, reply: CannedReplyInput) {
            self.id = id
            self.reply = reply
        }
    }

    /// The arguments of ``SupportAPI/renderCannedReply(id:ticketID:operatorID:)``.
    public struct RenderInput: Codable, Sendable {
        /// The canned reply.
        public var id: String
        /// The ticket it is for.
        public var ticketID: String
        /// The operator.
        public var operatorID: String
        /// Creates the body.
        public init(id: String, ticketID: String, operatorID: String) {
            self.id = id
            self.ticketID = ticketID
            self.operatorID = operatorID
        }
    }

    /// The arguments of a call about one thing by id.
    public struct IDInput: Codable, Sendable {
        /// The id.
        public var id: String
        /// Creates the body.
        public init(id: String) { self.id = id }
    }

    /// The arguments of ``SupportAPI/setPriorityRules(_:)``.
    public struct RulesInput: Codable, Sendable {
        /// The rules.
        public var rules: [PriorityRule]
        /// Creates the body.
        public init(rules: [PriorityRule]) { self.rules = rules }
    }

    /// ``SupportAPI/createTicket(_:requester:)``.
    public static let createTicket: RemoteOperation<CreateInput, Ticket> = .once(service, "create-ticket")
    /// ``SupportAPI/ticket(id:viewer:)``.
    public static let ticket: RemoteOperation<TicketInput, Ticket> = .repeatable(service, "ticket")
    /// ``SupportAPI/tickets(ofUser:page:)``.
    public static let userTickets: RemoteOperation<UserTicketsInput, Page<TicketSummary>> = .repeatable(service, "user-tickets")
    /// ``SupportAPI/tickets(matching:operatorID:page:)``.
    public static let queue: RemoteOperation<QueueInput, Page<TicketSummary>> = .repeatable(service, "queue")
    /// ``SupportAPI/addMessage(ticketID:_:viewer:)``.
    public static let addMessage: RemoteOperation<MessageInput, Ticket> = .once(service, "add-message")
    /// ``SupportAPI/addAttachment(ticketID:_:viewer:)``.
    public static let addAttachment: RemoteOperation<AttachmentInput, Ticket> = .once(service, "add-attachment")
    /// ``SupportAPI/attachment(id:ticketID:viewer:)``.
    public static let attachment: RemoteOperation<AttachmentQuery, AttachmentContent> = .repeatable(service, "attachment")
    /// ``SupportAPI/changeStatus(ticketID:to:operatorID:)``.
    public static let changeStatus: RemoteOperation<StatusInput, Ticket> = .once(service, "change-status")
    /// ``SupportAPI/assign(ticketID:to:operatorID:)``.
    public static let assign: RemoteOperation<AssignInput, Ticket> = .once(service, "assign")
    /// ``SupportAPI/changeStatus(ticketIDs:to:operatorID:)``.
    public static let bulkStatus: RemoteOperation<BulkStatusInput, [BulkOutcome]> = .once(service, "bulk-status")
    /// ``SupportAPI/merge(ticketID:into:operatorID:)``.
    public static let merge: RemoteOperation<MergeInput, Ticket> = .once(service, "merge")
    /// ``SupportAPI/rate(ticketID:score:token:comment:)``: the same rating again changes nothing, so it may be repeated.
    public static let rate: RemoteOperation<RateInput, TicketRating> = .repeatable(service, "rate")
    /// ``SupportAPI/satisfaction(from:to:)``.
    public static let satisfaction: RemoteOperation<PeriodInput, [OperatorSatisfaction]> = .repeatable(service, "satisfaction")
    /// ``SupportAPI/cannedReplies()``.
    public static let cannedReplies: RemoteOperation<NoContent, [CannedReply]> = .repeatable(service, "canned-replies")
    /// ``SupportAPI/setCannedReply(id:_:)``.
    public static let setCannedReply: RemoteOperation<CannedInput, CannedReply> = .once(service, "set-canned-reply")
    /// ``SupportAPI/deleteCannedReply(id:)``.
    public static let deleteCannedReply: RemoteOperation<IDInput, NoContent> = .repeatable(service, "delete-canned-reply")
    /// ``SupportAPI/renderCannedReply(id:ticketID:operatorID:)``.
    public static let renderCannedReply: RemoteOperation<RenderInput, String> = .repeatable(service, "render-canned-reply")
    /// ``SupportAPI/agents()``.
    public static let agents: RemoteOperation<NoContent, [SupportAgent]> = .repeatable(service, "agents")
    /// ``SupportAPI/setAgent(userID:_:)``.
    public static let setAgent: RemoteOperation<AgentInput, SupportAgent> = .repeatable(service, "set-agent")
    /// ``SupportAPI/setAgentState(userID:_:)``.
    public static let setAgentState: RemoteOperation<AgentStateInput, SupportAgent> = .repeatable(service, "set-agent-state")
    /// ``SupportAPI/priorityRules()``.
    public static let priorityRules: RemoteOperation<NoContent, [PriorityRule]> = .repeatable(service, "priority-rules")
    /// ``SupportAPI/setPriorityRules(_:)``.
    public static let setPriorityRules: RemoteOperation<RulesInput, [PriorityRule]> = .repeatable(service, "set-priority-rules")
}
