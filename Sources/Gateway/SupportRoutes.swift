import Contracts
import Hummingbird
import Kernel
import Logging
import ServerKit

/// `/api/v1/support`: a customer's own tickets — open one, list them, read one, reply.
struct SupportRoutes: Sendable {
    let support: any SupportAPI
    let customers: any CustomersAPI
    let billing: any BillingAPI
    let maxAttachmentBytes: Int

    /// `POST /api/v1/support/tickets/{id}/messages`.
    struct ReplyBody: Codable, Sendable {
        var text: String
    }

    func register(on router: SecureRouter) {
        let group = router.group("/api/v1/support/tickets")
        group.post("", access: .permission(.ownCustomerData), class: .api) { request, context in
            let buffer = try await request.collectJSONBody(context: context)
            try Request.rejectUnknownFields(in: buffer, allowed: ["subject", "text", "category", "about"])
            let ticket = try Request.decodeJSON(NewTicket.self, from: buffer)
            let requester = try await requester(userID: try context.requireIdentity().userID, logger: context.logger)
            return created(try await support.createTicket(ticket, requester: requester))
        }
        group.get("", access: .permission(.ownCustomerData), class: .api) { request, context in
            try await support.tickets(ofUser: try context.requireIdentity().userID, page: try request.pageRequest())
        }
        group.get("{id}", access: .permission(.ownCustomerData), class: .api) { _, context in
            try await support.ticket(id: try context.parameters.require("id"), viewer: .customer(userID: try context.requireIdentity().userID))
        }
        group.post("{id}/messages", access: .permission(.ownCustomerData), class: .api) { request, context in
            let buffer = try await request.collectJSONBody(context: context)
            try Request.rejectUnknownFields(in: buffer, allowed: ["text"])
            let body = try Request.decodeJSON(ReplyBody.self, from: buffer)
            return created(
                try await support.addMessage(
                    ticketID: try context.parameters.require("id"), NewTicketMessage(text: body.text),
                    viewer: .customer(userID: try context.requireIdentity().userID)))
        }
        group.post("{id}/attachments", access: .permission(.ownCustomerData), class: .api) { request, context in
            let upload = try await AttachmentTransfer.upload(request, maximum: maxAttachmentBytes)
            return created(
                try await support.addAttachment(
                    ticketID: try context.parameters.require("id"), upload, viewer: .customer(userID: try context.requireIdentity().userID)))
        }
        group.get("{id}/attachments/{attachment}", access: .permission(.ownCustomerData), class: .api) { _, context in
            AttachmentTransfer.download(
                try await support.attachment(
                    id: try context.parameters.require("attachment"), ticketID: try context.parameters.require("id"),
                    viewer: .customer(userID: try context.requireIdentity().userID)))
        }
    }

    /// What support's priority rules weigh, from the customer's card and billing account; billing's part is left
    /// unknown (and its rules silent) when billing does not answer, so a ticket can be opened during its outage.
    private func requester(userID: String, logger: Logger) async throws -> TicketRequester {
        let customer = try await customers.customer(userID: userID)
        async let balance = capture { try await billing.balance(of: .user(userID)) }
        async let tariffNames = capture { () -> [String] in
            let subscriptions = try await billing.subscriptions(of: .user(userID)).filter { $0.status != .terminated }
            guard !subscriptions.isEmpty else { return [] }
            let tariffs = try await billing.tariffs(includeArchived: true)
            return subscriptions.flatMap { subscription in
                tariffs.first { $0.id == subscription.tariffId }.map { [$0.nameRu, $0.nameEn] } ?? []
            }
        }
        let address = customer.contracts.first { $0.isActive }.map { "\($0.address.city), \($0.address.street), \($0.address.building)" }
        var requester = TicketRequester(
            customerId: customer.id, userId: userID, name: customer.fullName, locale: customer.locale, address: address)
        switch await balance {
        case .success(let value): requester.suspended = value.isSuspended
        case .failure(let error): logger.warning("ticket opened without the account's state", metadata: ["error": "\(error)"])
        }
        switch await tariffNames {
        case .success(let value): requester.tariffs = value
        case .failure(let error): logger.warning("ticket opened without the customer's tariffs", metadata: ["error": "\(error)"])
        }
        return requester
    }
}
