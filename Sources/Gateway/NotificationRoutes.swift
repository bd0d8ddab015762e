import Contracts
import Hummingbird
import Kernel
import ServerKit

/// `/api/v1/notifications`: a signed-in person's own devices (the mobile flow: the app registers its FCM or APNs
/// token, the browser its Web Push subscription), inbox and preferences.
struct NotificationRoutes: Sendable {
    let notifications: any NotificationsAPI

    /// `POST …/read`: some notifications by id, or all of them.
    struct ReadBody: Codable, Sendable {
        var ids: [String]?
        var all: Bool?
    }

    /// The answer to `GET …/web-push-key`.
    struct WebPushKey: ResponseEncodable, Sendable {
        var applicationServerKey: String
    }

    /// The answer to `POST …/read`.
    struct UnreadCount: ResponseEncodable, Sendable {
        var unread: Int
    }

    func register(on router: SecureRouter) {
        let group = router.group("/api/v1/notifications")
        group.post("devices", access: .permission(.ownAccount), class: .api) { request, context in
            let buffer = try await request.collectJSONBody(context: context)
            try Request.rejectUnknownFields(in: buffer, allowed: ["platform", "token", "subscription", "appId", "locale", "name"])
            let registration = try Request.decodeJSON(DeviceRegistration.self, from: buffer)
            return created(try await notifications.registerDevice(registration, userID: try context.requireIdentity().userID))
        }
        group.get("web-push-key", access: .permission(.ownAccount), class: .api) { _, _ in
            guard let key = try await notifications.webPushKey() else { throw Problem.notFound }
            return WebPushKey(applicationServerKey: key)
        }
        group.get("devices", access: .permission(.ownAccount), class: .api) { _, context in
            ItemList(items: try await notifications.devices(ofUser: try context.requireIdentity().userID))
        }
        group.delete("devices/{id}", access: .permission(.ownAccount), class: .api) { _, context in
            try await notifications.deleteDevice(id: try context.parameters.require("id"), userID: try context.requireIdentity().userID)
            return Response(status: .noContent)
        }
        group.get("", access: .permission(.ownAccount), class: .api) { request, context in
            let unread = request.uri.queryParameters.get("unread")
            guard unread == nil || unread == "true" || unread == "false" else {
                throw Problem.invalidField("unread", "query parameter unread must be true or false")
            }
            return try await notifications.inbox(
                ofUser: try context.requireIdentity().userID, unreadOnly: unread == "true", page: try request.pageRequest())
        }
        group.post("read", access: .permission(.ownAccount), class: .api) { request, context in
            let buffer = try await request.collectJSONBody(context: context)
            try Request.rejectUnknownFields(in: buffer, allowed: ["ids", "all"])
            let body = try Request.decodeJSON(ReadBody.self, from: buffer)
            guard (body.ids == nil) == (body.all == true) else {
                throw Problem.invalidField("ids", "give the ids to mark read, or \"all\": true")
            }
            return UnreadCount(unread: try await notifications.markRead(ids: body.ids, userID: try context.requireIdentity().userID))
        }
        group.get("preferences", access: .permission(.ownAccount), class: .api) { _, context in
            try await notifications.preferences(ofUser: try context.requireIdentity().userID)
        }
        group.put("preferences", access: .permission(.ownAccount), class: .api) { request, context in
            let buffer = try await request.collectJSONBody(context: context)
            try Request.rejectUnknownFields(in: buffer, allowed: ["channels", "quietHours", "timeZone"])
            let preferences = try Request.decodeJSON(NotificationPreferences.self, from: buffer)
            return try await notifications.setPreferences(preferences, userID: try context.requireIdentity().userID)
        }
    }
}
