import Contracts
import Foundation
import Kernel

/// ``SupportAPI`` in another process: each method is a call of its ``SupportOperations`` operation.
public struct SupportClient: SupportAPI {
    private let remote: RemoteService

    /// A client over `remote` (whose service is `support`).
    public init(remote: RemoteService) { self.remote = remote }

    /// Opens a ticket.
    public func createTicket(_ input: NewTicket, requester: TicketRequester) async throws -> Ticket {
        try await remote.call(SupportOperations.createTicket, .init(ticket: input, requester: requester))
    }

    /// One ticket as `viewer` may see it.
    public func ticket(id: String, viewer: TicketViewer) async throws -> Ticket {
        try await remote.call(SupportOperations.ticket, .init(id: id, viewer: viewer))
    }

    /// A customer's own tickets.
    public func tickets(ofUser userID: String, page: PageRequest) async throws -> Page<TicketSummary> {
        try await remote.call(SupportOperations.userTickets, .init(userID: userID, page: page))
    }

    /// Operators' queues.
    public func tickets(matching filter: TicketFilter, operatorID: String, page: PageRequest) async throws -> Page<TicketSummary> {
        try await remote.call(SupportOperations.queue, .init(filter: filter, operatorID: operatorID, page: page))
    }

    /// Adds a message.
    public func addMessage(ticketID: String, _ message: NewTicketMessage, viewer: TicketViewer) async throws -> Ticket {
        try await remote.call(SupportOperations.addMessage, .init(ticketID: ticketID, message: message, viewer: viewer))
    }

    /// Attaches a file.
    public func addAttachment(ticketID: String, _ upload: AttachmentUpload, viewer: TicketViewer) async throws -> Ticket {
        try await remote.call(SupportOperations.addAttachment, .init(ticketID: ticketID, upload: upload, viewer: viewer))
    }

    /// A stored attachment with its bytes.
    public func attachment(id: String, ticketID: String, viewer: TicketViewer) async throws -> AttachmentContent {
        try await remote.call(SupportOperations.attachment, .init(id: id, ticketID: ticketID, viewer: viewer))
    }

    /// Moves a ticket along its workflow.
    public func changeStatus(ticketID: String, to status: TicketStatus, operatorID: String) async throws -> Ticket {
        try await remote.call(SupportOperations.changeStatus, .init(ticketID: ticketID, status: status, operatorID: operatorID))
    }

    /// Assigns a ticket.
    public func assign(ticketID: String, to assigneeID: String?, operatorID: String) async throws -> Ticket {
        try await remote.call(SupportOperations.assign, .init(ticketID: ticketID, assigneeID: assigneeID, operatorID: operatorID))
    }

    /// Moves several tickets.
    public func changeStatus(ticketIDs: [String], to status: TicketStatus, operatorID: String) async throws -> [BulkOutcome] {
        try await remote.call(SupportOperations.bulkStatus, .init(ticketIDs: ticketIDs, status: status, operatorID: operatorID))
    }

    /// Merges a duplicate.
    public func merge(ticketID: String, into targetID: String, operatorID: String) async throws -> Ticket {
        try await remote.call(SupportOperations.merge, .init(ticketID: ticketID, targetID: targetID, operatorID: operatorID))
    }

    /// Records a rating.
    public func rate(ticketID: String, score: Int, token: String, comment: String?) async throws -> TicketRating {
        try await remote.call(SupportOperations.rate, .init(ticketID: ticketID, score: score, token: token, comment: comment))
    }

    /// Ratings per operator.
    public func satisfaction(from: Date, to: Date) async throws -> [OperatorSatisfaction] {
        try await remote.call(SupportOperations.satisfaction, .init(from: from, to: to))
    }

    /// The canned replies.
    public func cannedReplies() async throws -> [CannedReply] {
        try await remote.call(SupportOperations.cannedReplies, NoContent())
    }

    /// Creates or replaces a canned reply.
    public func setCannedReply(id: String?, _ input: CannedReplyInput) async throws -> CannedReply {
        try await remote.call(SupportOperations.setCannedReply, .init(id: id, reply: input))
    }

    /// Deletes a canned reply.
    public func deleteCannedReply(id: String) async throws {
        _ = try await remote.call(SupportOperations.deleteCannedReply, .init(id: id))
    }

    /// A canned reply filled in for a ticket.
    public func renderCannedReply(id: String, ticketID: String, operatorID: String) async throws -> String {
        try await remote.call(SupportOperations.renderCannedReply, .init(id: id, ticketID: ticketID, operatorID: operatorID))
    }

    /// The desk's operators.
    public func agents() async throws -> [SupportAgent] {
        try await remote.call(SupportOperations.agents, NoContent())
    }

    /// Sets an operator's profile.
    public func setAgent(userID: String, _ profile: AgentProfile) async throws -> SupportAgent {
        try await remote.call(SupportOperations.setAgent, .init(userID: userID, profile: profile))
    }

    /// Sets an operator's presence.
    public func setAgentState(userID: String, _ state: AgentState) async throws -> SupportAgent {
        try await remote.call(SupportOperations.setAgentState, .init(userID: userID, state: state))
    }

    /// The priority rules.
    public func priorityRules() async throws -> [PriorityRule] {
        try await remote.call(SupportOperations.priorityRules, NoContent())
    }

    /// Replaces the priority rules.
    public func setPriorityRules(_ rules: [PriorityRule]) async throws -> [PriorityRule] {
        try await remote.call(SupportOperations.setPriorityRules, .init(rules: rules))
    }
}
