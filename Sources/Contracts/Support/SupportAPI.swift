import Foundation
import Kernel

/// The support service as the gateway and other services see it (seed: Support Service).
public protocol SupportAPI: Sendable {
    // MARK: Tickets

    /// Opens a ticket for `requester`: validates it, decides its priority and category with the reasons, stores it
    /// with its first message and publishes `ticket.created`; assignment follows at once in the background.
    func createTicket(_ input: NewTicket, requester: TicketRequester) async throws -> Ticket
    /// One ticket as `viewer` may see it; another customer's ticket is not found.
    func ticket(id: String, viewer: TicketViewer) async throws -> Ticket
    /// A customer's own tickets by their user id, newest first.
    func tickets(ofUser userID: String, page: PageRequest) async throws -> Page<TicketSummary>
    /// Operators' queues: a filter, ordered by priority then age (oldest first).
    func tickets(matching filter: TicketFilter, operatorID: String, page: PageRequest) async throws -> Page<TicketSummary>
    /// Adds a message: a customer's reply reopens a waiting or resolved ticket; an operator's public answer stops the
    /// response clocks and may set the status; an internal note changes nothing the customer sees.
    func addMessage(ticketID: String, _ message: NewTicketMessage, viewer: TicketViewer) async throws -> Ticket
    /// Attaches a file as a message of its own: its type is checked from its content, its size and the ticket's count
    /// of files against their limits; an internal one is for operators only.
    func addAttachment(ticketID: String, _ upload: AttachmentUpload, viewer: TicketViewer) async throws -> Ticket
    /// A stored attachment with its bytes, if `viewer` may see its message.
    func attachment(id: String, ticketID: String, viewer: TicketViewer) async throws -> AttachmentContent
    /// Moves a ticket along its workflow (operators).
    func changeStatus(ticketID: String, to status: TicketStatus, operatorID: String) async throws -> Ticket
    /// Gives a ticket to an operator, or back to the queue with `nil` (operators).
    func assign(ticketID: String, to assigneeID: String?, operatorID: String) async throws -> Ticket

    /// Moves up to 100 tickets to one status at once; each ticket's outcome says whether it moved (operators).
    func changeStatus(ticketIDs: [String], to status: TicketStatus, operatorID: String) async throws -> [BulkOutcome]
    /// Merges a duplicate into another ticket of the same customer: its conversation moves over, and it closes
    /// pointing at the other (operators).
    func merge(ticketID: String, into targetID: String, operatorID: String) async throws -> Ticket

    // MARK: Satisfaction

    /// Records a customer's rating from the signed link in the resolution message (no sign-in); rating again
    /// replaces it. Refused without a valid token, or before the ticket is resolved.
    func rate(ticketID: String, score: Int, token: String, comment: String?) async throws -> TicketRating
    /// Ratings per operator of the tickets resolved in `[from, to)`.
    func satisfaction(from: Date, to: Date) async throws -> [OperatorSatisfaction]

    // MARK: Canned replies

    /// Every canned reply.
    func cannedReplies() async throws -> [CannedReply]
    /// Creates (`id` nil) or replaces a canned reply (administrators).
    func setCannedReply(id: String?, _ input: CannedReplyInput) async throws -> CannedReply
    /// Deletes a canned reply (administrators).
    func deleteCannedReply(id: String) async throws
    /// A canned reply's text filled in for one ticket, for the operator to edit and send.
    func renderCannedReply(id: String, ticketID: String, operatorID: String) async throws -> String

    // MARK: Operators

    /// Every operator of the desk.
    func agents() async throws -> [SupportAgent]
    /// Creates or changes an operator's profile (administrators).
    func setAgent(userID: String, _ profile: AgentProfile) async throws -> SupportAgent
    /// Sets an operator's presence; going offline hands their unanswered tickets back to the queue.
    func setAgentState(userID: String, _ state: AgentState) async throws -> SupportAgent

    // MARK: Priority rules

    /// The rules in force, in the order they apply.
    func priorityRules() async throws -> [PriorityRule]
    /// Replaces the rules (administrators).
    func setPriorityRules(_ rules: [PriorityRule]) async throws -> [PriorityRule]
}
