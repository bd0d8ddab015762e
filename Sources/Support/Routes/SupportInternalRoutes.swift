import Contracts
import ServerKit

/// The support service's internal API: every ``SupportAPI`` method at its ``SupportOperations`` path.
///
/// A call made for a signed-in customer may concern only that customer's own tickets, as that customer (no internal
/// notes, no other viewer); anything else is answered as not found, and operators' operations are refused.
public struct SupportInternalRoutes {
    /// The service answering (the local object).
    public let support: any SupportAPI
    /// The largest attachment, in bytes: its operation's body may be a third larger (base64) and a little more.
    public let maxAttachmentBytes: Int

    /// Creates the routes over `support`.
    public init(support: any SupportAPI, maxAttachmentBytes: Int = 10 << 20) {
        self.support = support
        self.maxAttachmentBytes = maxAttachmentBytes
    }

    /// Registers every operation on `router`.
    public func register(on router: SecureRouter) {
        let routes = InternalRoutes(router: router, service: SupportOperations.service)
        let support = support
        typealias Ops = SupportOperations
        routes.on(Ops.createTicket) { input, caller in
            try Self.same(user: input.requester.userId, caller)
            return try await support.createTicket(input.ticket, requester: input.requester)
        }
        routes.on(Ops.ticket) { input, caller in
            try Self.viewer(input.viewer, caller)
            return try await support.ticket(id: input.id, viewer: input.viewer)
        }
        routes.on(Ops.userTickets) { input, caller in
            try Self.same(user: input.userID, caller)
            return try await support.tickets(ofUser: input.userID, page: input.page)
        }
        routes.on(Ops.queue) { input, caller in
            try Self.staff(caller)
            return try await support.tickets(matching: input.filter, operatorID: input.operatorID, page: input.page)
        }
        routes.on(Ops.addMessage) { input, caller in
            try Self.viewer(input.viewer, caller)
            return try await support.addMessage(ticketID: input.ticketID, input.message, viewer: input.viewer)
        }
        routes.on(Ops.addAttachment, maxBodyBytes: maxAttachmentBytes / 3 * 4 + 65_536) { input, caller in
            try Self.viewer(input.viewer, caller)
            return try await support.addAttachment(ticketID: input.ticketID, input.upload, viewer: input.viewer)
        }
        routes.on(Ops.attachment) { input, caller in
            try Self.viewer(input.viewer, caller)
            return try await support.attachment(id: input.id, ticketID: input.ticketID, viewer: input.viewer)
        }
        routes.on(Ops.changeStatus) { input, caller in
            try Self.staff(caller)
            return try await support.changeStatus(ticketID: input.ticketID, to: input.status, operatorID: input.operatorID)
        }
        routes.on(Ops.assign) { input, caller in
            try Self.staff(caller)
            return try await support.assign(ticketID: input.ticketID, to: input.assigneeID, operatorID: input.operatorID)
        }
        routes.on(Ops.bulkStatus) { input, caller in
            try Self.staff(caller)
            return try await support.changeStatus(ticketIDs: input.ticketIDs, to: input.status, operatorID: input.operatorID)
        }
        routes.on(Ops.merge) { input, caller in
            try Self.staff(caller)
            return try await support.merge(ticketID: input.ticketID, into: input.targetID, operatorID: input.operatorID)
        }
        // Anyone with the link's token: the token is the check.
        routes.on(Ops.rate) { input, _ in
            try await support.rate(ticketID: input.ticketID, score: input.score, token: input.token, comment: input.comment)
        }
        routes.on(Ops.satisfaction) { input, caller in
            try Self.staff(caller)
            return try await support.satisfaction(from: input.from, to: input.to)
        }
        routes.on(Ops.cannedReplies) { _, caller in
            try Self.staff(caller)
            return try await support.cannedReplies()
        }
        routes.on(Ops.setCannedReply) { input, caller in
            try Self.staff(caller)
            return try await support.setCannedReply(id: input.id, input.reply)
        }
        routes.on(Ops.deleteCannedReply) { input, caller in
            try Self.staff(caller)
            try await support.deleteCannedReply(id: input.id)
            return NoContent()
        }
        routes.on(Ops.renderCannedReply) { input, caller in
            try Self.staff(caller)
            return try await support.renderCannedReply(id: input.id, ticketID: input.ticketID, operatorID: input.operatorID)
        }
        routes.on(Ops.agents) { _, caller in
            try Self.staff(caller)
            return try await support.agents()
        }
        routes.on(Ops.setAgent) { input, caller in
            try Self.staff(caller)
            return try await support.setAgent(userID: input.userID, input.profile)
        }
        routes.on(Ops.setAgentState) { input, caller in
            try Self.staff(caller)
            return try await support.setAgentState(userID: input.userID, input.state)
        }
        routes.on(Ops.priorityRules) { _, caller in
            try Self.staff(caller)
            return try await support.priorityRules()
        }
        routes.on(Ops.setPriorityRules) { input, caller in
            try Self.staff(caller)
            return try await support.setPriorityRules(input.rules)
        }
    }

    /// A call for a customer about another user is answered as not found.
    static func same(user userID: String, _ caller: ServiceCaller) throws {
        if let customer = caller.customerUserID, customer != userID { throw SupportError.notFound }
    }

    /// A customer looks only as themselves.
    static func viewer(_ viewer: TicketViewer, _ caller: ServiceCaller) throws {
        guard let customer = caller.customerUserID else { return }
        guard case .customer(let userID) = viewer, userID == customer else { throw SupportError.notFound }
    }

    /// Operators' operations are not made for customers.
    static func staff(_ caller: ServiceCaller) throws {
        if caller.customerUserID != nil { throw SupportError.notFound }
    }
}
