import Contracts
import Foundation
import Hummingbird
import Kernel
import NIOCore
import ServerKit

/// `/api/v1/admin/customers/{id}/deliveries`: what was sent to a customer, through what, and how it went;
/// `/api/v1/admin/notifications/templates`: the texts of every kind of notification, which administrators rewrite
/// (each change a version) and preview.
struct AdminNotificationRoutes: Sendable {
    let notifications: any NotificationsAPI
    let customers: any CustomersAPI

    private static func texts(_ request: Request, context: AppRequestContext) async throws -> TemplateTexts {
        try decode(try await request.collectJSONBody(context: context))
    }

    private static func decode(_ buffer: ByteBuffer) throws -> TemplateTexts {
        try Request.rejectUnknownFields(in: buffer, allowed: ["title", "body", "email", "action"])
        return try Request.decodeJSON(TemplateTexts.self, from: buffer)
    }

    func register(on router: SecureRouter) {
        router.get("/api/v1/admin/customers/{id}/deliveries", access: .permission(.customersRead), class: .api) { request, context in
            let customerID = try context.parameters.require("id")
            // An unknown customer is a 404, not an empty log.
            _ = try await customers.customer(id: customerID)
            return try await notifications.deliveries(ofCustomer: customerID, page: try request.pageRequest())
        }
        let templates = router.group("/api/v1/admin/notifications/templates")
        templates.get("", access: .permission(.notificationsManage), class: .api) { _, _ in
            ItemList(items: try await notifications.templates())
        }
        templates.get("{kind}/{locale}/versions", access: .permission(.notificationsManage), class: .api) { _, context in
            ItemList(
                items: try await notifications.templateVersions(
                    kind: try context.parameters.require("kind"), locale: try context.parameters.require("locale")))
        }
        templates.put("{kind}/{locale}", access: .permission(.notificationsManage), class: .api) { request, context in
            let texts = try await Self.texts(request, context: context)
            return try await notifications.setTemplate(
                kind: try context.parameters.require("kind"), locale: try context.parameters.require("locale"), texts,
                authorID: try context.requireIdentity().userID)
        }
        templates.post("{kind}/{locale}/preview", access: .permission(.notificationsManage), class: .api) { request, context in
            let buffer = try await request.collectJSONBody(context: context)
            let texts: TemplateTexts? =
                buffer.readableBytes == 0 || String(buffer: buffer).trimmingCharacters(in: .whitespacesAndNewlines) == "{}"
                ? nil : try Self.decode(buffer)
            return try await notifications.previewTemplate(
                kind: try context.parameters.require("kind"), locale: try context.parameters.require("locale"), texts)
        }
    }
}
