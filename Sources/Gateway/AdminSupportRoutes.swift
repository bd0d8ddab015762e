import Contracts
import Hummingbird
import Kernel
import ServerKit

/// `/api/v1/admin/support`: the operators' desk — queues, tickets with internal notes, status, assignment, their
/// own presence; administrators set up operators and the priority rules.
struct AdminSupportRoutes: Sendable {
    let support: any SupportAPI
    let maxAttachmentBytes: Int

    /// `POST …/tickets/{id}/messages`.
    struct MessageBody: Codable, Sendable {
        var text: String
        var isInternal: Bool?
    }

    /// `POST …/tickets/{id}/status`.
    struct StatusBody: Codable, Sendable {
        var status: TicketStatus
    }

    /// `POST …/tickets/{id}/assignee`: an operator's user id, or null for the queue.
    struct AssigneeBody: Codable, Sendable {
        var operatorId: String?
    }

    /// `PUT …/agents/{userId}/state` and `PUT …/agents/me/state`.
    struct StateBody: Codable, Sendable {
        var state: AgentState
    }

    /// `PUT …/priority-rules`.
    struct RulesBody: Codable, Sendable {
        var rules: [PriorityRule]
    }

    func register(on router: SecureRouter) {
        let group = router.group("/api/v1/admin/support")
        group.get("tickets", access: .permission(.supportWork), class: .api) { request, context in
            let filter = try Self.filter(request)
            return try await support.tickets(matching: filter, operatorID: try context.requireIdentity().userID, page: try request.pageRequest())
        }
        group.get("tickets/{id}", access: .permission(.supportWork), class: .api) { _, context in
            try await support.ticket(id: try context.parameters.require("id"), viewer: .staff(try context.requireIdentity().userID))
        }
        group.post("tickets/{id}/messages", access: .permission(.supportWork), class: .api) { request, context in
            let buffer = try await request.collectJSONBody(context: context)
            try Request.rejectUnknownFields(in: buffer, allowed: ["text", "isInternal"])
            let body = try Request.decodeJSON(MessageBody.self, from: buffer)
            return created(
                try await support.addMessage(
                    ticketID: try context.parameters.require("id"), NewTicketMessage(text: body.text, isInternal: body.isInternal ?? false),
                    viewer: .staff(try context.requireIdentity().userID)))
        }
        group.post("tickets/{id}/attachments", access: .permission(.supportWork), class: .api) { request, context in
            let isInternal = request.uri.queryParameters.get("internal") == "true"
            let upload = try await AttachmentTransfer.upload(request, maximum: maxAttachmentBytes, isInternal: isInternal)
            return created(
                try await support.addAttachment(
                    ticketID: try context.parameters.require("id"), upload, viewer: .staff(try context.requireIdentity().userID)))
        }
        group.get("tickets/{id}/attachments/{attachment}", access: .permission(.supportWork), class: .api) { _, context in
            AttachmentTransfer.download(
                try await support.attachment(
                    id: try context.parameters.require("attachment"), ticketID: try context.parameters.require("id"),
                    viewer: .staff(try context.requireIdentity().userID)))
        }
        group.post("tickets/{id}/status", access: .permission(.supportWork), class: .api) { request, context in
            let body = try await request.decodeJSON(StatusBody.self, context: context)
            return try await support.changeStatus(
                ticketID: try context.parameters.require("id"), to: body.status, operatorID: try context.requireIdentity().userID)
        }
        group.post("tickets/{id}/assignee", access: .permission(.supportWork), class: .api) { request, context in
            let body = try await request.decodeJSON(AssigneeBody.self, context: context)
            return try await support.assign(
                ticketID: try context.parameters.require("id"), to: body.operatorId, operatorID: try context.requireIdentity().userID)
        }
        group.get("agents", access: .permission(.supportWork), class: .api) { _, _ in
            ItemList(items: try await support.agents())
        }
        group.put("agents/me/state", access: .permission(.supportWork), class: .api) { request, context in
            let body = try await request.decodeJSON(StateBody.self, context: context)
            return try await support.setAgentState(userID: try context.requireIdentity().userID, body.state)
        }
        group.put("agents/{userId}", access: .permission(.supportManage), class: .api) { request, context in
            let profile = try await request.decodeJSON(AgentProfile.self, context: context)
            return try await support.setAgent(userID: try context.parameters.require("userId"), profile)
        }
        group.put("agents/{userId}/state", access: .permission(.supportManage), class: .api) { request, context in
            let body = try await request.decodeJSON(StateBody.self, context: context)
            return try await support.setAgentState(userID: try context.parameters.require("userId"), body.state)
        }
        group.get("priority-rules", access: .permission(.supportWork), class: .api) { _, _ in
            ItemList(items: try await support.priorityRules())
        }
        group.put("priority-rules", access: .permission(.supportManage), class: .api) { request, context in
            let body = try await request.decodeJSON(RulesBody.self, context: context)
            return ItemList(items: try await support.setPriorityRules(body.rules))
        }
    }

    /// The queue filter from the query: `queue`, `category`, `status`, `customerId`, `q` (words to search), each
    /// checked by name.
    static func filter(_ request: Request) throws -> TicketFilter {
        let query = request.uri.queryParameters
        func value<Value: RawRepresentable & CaseIterable>(_ name: String, _ type: Value.Type) throws -> Value? where Value.RawValue == String {
            guard let text = query.get(name) else { return nil }
            guard let value = Value(rawValue: String(text)) else {
                throw Problem.invalidField(name, "query parameter \(name) must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return value
        }
        var filter = TicketFilter(queue: try value("queue", TicketQueue.self) ?? .active)
        filter.category = try value("category", TicketCategory.self)
        filter.status = try value("status", TicketStatus.self)
        if let text = query.get("q") {
            guard text.count <= 100 else { throw Problem.invalidField("q", "query parameter q must be at most 100 characters") }
            filter.text = String(text)
        }
        if let customer = query.get("customerId") {
            guard (1...64).contains(customer.count) else { throw Problem.invalidField("customerId", "1 to 64 characters") }
            filter.customerId = String(customer)
        }
        return filter
    }
}
