import Contracts
import ServerKit

/// The notification service's internal API: every ``NotificationsAPI`` method at its ``NotificationsOperations``
/// path. A call made for a signed-in customer may concern only that customer's own devices, inbox and preferences;
/// operators' operations are refused for it.
public struct NotificationsInternalRoutes {
    /// The service answering (the local object).
    public let notifications: any NotificationsAPI

    /// Creates the routes over `notifications`.
    public init(notifications: any NotificationsAPI) { self.notifications = notifications }

    /// Registers every operation on `router`.
    public func register(on router: SecureRouter) {
        let routes = InternalRoutes(router: router, service: NotificationsOperations.service)
        let notifications = notifications
        typealias Ops = NotificationsOperations
        routes.on(Ops.registerDevice) { input, caller in
            try Self.same(user: input.userID, caller)
            return try await notifications.registerDevice(input.registration, userID: input.userID)
        }
        routes.on(Ops.devices) { input, caller in
            try Self.same(user: input.userID, caller)
            return try await notifications.devices(ofUser: input.userID)
        }
        routes.on(Ops.deleteDevice) { input, caller in
            try Self.same(user: input.userID, caller)
            try await notifications.deleteDevice(id: input.id, userID: input.userID)
            return NoContent()
        }
        routes.on(Ops.webPushKey) { _, _ in try await notifications.webPushKey() }
        routes.on(Ops.inbox) { input, caller in
            try Self.same(user: input.userID, caller)
            return try await notifications.inbox(ofUser: input.userID, unreadOnly: input.unreadOnly, page: input.page)
        }
        routes.on(Ops.markRead) { input, caller in
            try Self.same(user: input.userID, caller)
            return try await notifications.markRead(ids: input.ids, userID: input.userID)
        }
        routes.on(Ops.preferences) { input, caller in
            try Self.same(user: input.userID, caller)
            return try await notifications.preferences(ofUser: input.userID)
        }
        routes.on(Ops.setPreferences) { input, caller in
            try Self.same(user: input.userID, caller)
            return try await notifications.setPreferences(input.preferences, userID: input.userID)
        }
        // Anyone with the link's token: the token is the check.
        routes.on(Ops.unsubscribe) { input, _ in
            try await notifications.unsubscribe(userID: input.userID, category: input.category, token: input.token)
            return NoContent()
        }
        routes.on(Ops.receiveAlerts) { input, caller in
            try Self.staff(caller)
            return try await notifications.receiveAlerts(input)
        }
        routes.on(Ops.onCall) { _, caller in
            try Self.staff(caller)
            return try await notifications.onCall()
        }
        routes.on(Ops.setOnCall) { input, caller in
            try Self.staff(caller)
            return try await notifications.setOnCall(input.entries)
        }
        routes.on(Ops.templates) { _, caller in
            try Self.staff(caller)
            return try await notifications.templates()
        }
        routes.on(Ops.templateVersions) { input, caller in
            try Self.staff(caller)
            return try await notifications.templateVersions(kind: input.kind, locale: input.locale)
        }
        routes.on(Ops.setTemplate) { input, caller in
            try Self.staff(caller)
            guard let texts = input.texts, let author = input.authorID else {
                throw NotificationsError.invalidField(field: "texts", reason: "the texts and their author are required")
            }
            return try await notifications.setTemplate(kind: input.kind, locale: input.locale, texts, authorID: author)
        }
        routes.on(Ops.previewTemplate) { input, caller in
            try Self.staff(caller)
            return try await notifications.previewTemplate(kind: input.kind, locale: input.locale, input.texts)
        }
        routes.on(Ops.deliveries) { input, caller in
            try Self.staff(caller)
            return try await notifications.deliveries(ofCustomer: input.customerID, page: input.page)
        }
    }

    /// Operators' operations are not made for customers.
    static func staff(_ caller: ServiceCaller) throws {
        if caller.customerUserID != nil { throw NotificationsError.notFound }
    }

    /// A call for a customer about another user is answered as not found.
    static func same(user userID: String, _ caller: ServiceCaller) throws {
        if let customer = caller.customerUserID, customer != userID { throw NotificationsError.notFound }
    }
}
