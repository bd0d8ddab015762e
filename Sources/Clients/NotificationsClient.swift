import Contracts
import Foundation
import Kernel

/// ``NotificationsAPI`` in another process: each method is a call of its ``NotificationsOperations`` operation.
public struct NotificationsClient: NotificationsAPI {
    private let remote: RemoteService

    /// A client over `remote` (whose service is `notifications`).
    public init(remote: RemoteService) { self.remote = remote }

    /// Registers a device.
    public func registerDevice(_ registration: DeviceRegistration, userID: String) async throws -> Device {
        try await remote.call(NotificationsOperations.registerDevice, .init(registration: registration, userID: userID))
    }

    /// A user's devices.
    public func devices(ofUser userID: String) async throws -> [Device] {
        try await remote.call(NotificationsOperations.devices, .init(userID: userID))
    }

    /// Forgets a device.
    public func deleteDevice(id: String, userID: String) async throws {
        _ = try await remote.call(NotificationsOperations.deleteDevice, .init(id: id, userID: userID))
    }

    /// The Web Push key.
    public func webPushKey() async throws -> String? {
        try await remote.call(NotificationsOperations.webPushKey, NoContent())
    }

    /// A user's inbox.
    public func inbox(ofUser userID: String, unreadOnly: Bool, page: PageRequest) async throws -> InboxPage {
        try await remote.call(NotificationsOperations.inbox, .init(userID: userID, unreadOnly: unreadOnly, page: page))
    }

    /// Marks notifications read.
    public func markRead(ids: [String]?, userID: String) async throws -> Int {
        try await remote.call(NotificationsOperations.markRead, .init(ids: ids, userID: userID))
    }

    /// A user's preferences.
    public func preferences(ofUser userID: String) async throws -> NotificationPreferences {
        try await remote.call(NotificationsOperations.preferences, .init(userID: userID))
    }

    /// Replaces a user's preferences.
    public func setPreferences(_ preferences: NotificationPreferences, userID: String) async throws -> NotificationPreferences {
        try await remote.call(NotificationsOperations.setPreferences, .init(preferences: preferences, userID: userID))
    }

    /// Turns e-mail off for a category from a signed link.
    public func unsubscribe(userID: String, category: NotificationCategory, token: String) async throws {
        _ = try await remote.call(NotificationsOperations.unsubscribe, .init(userID: userID, category: category, token: token))
    }

    /// Every template in force.
    public func templates() async throws -> [NotificationTemplateInfo] {
        try await remote.call(NotificationsOperations.templates, NoContent())
    }

    /// A template's versions.
    public func templateVersions(kind: String, locale: String) async throws -> [NotificationTemplateInfo] {
        try await remote.call(NotificationsOperations.templateVersions, .init(kind: kind, locale: locale))
    }

    /// A new version of a template.
    public func setTemplate(kind: String, locale: String, _ texts: TemplateTexts, authorID: String) async throws -> NotificationTemplateInfo {
        try await remote.call(NotificationsOperations.setTemplate, .init(kind: kind, locale: locale, texts: texts, authorID: authorID))
    }

    /// A template rendered on sample values.
    public func previewTemplate(kind: String, locale: String, _ texts: TemplateTexts?) async throws -> TemplatePreview {
        try await remote.call(NotificationsOperations.previewTemplate, .init(kind: kind, locale: locale, texts: texts))
    }

    /// Routes Alertmanager's alerts.
    public func receiveAlerts(_ payload: AlertmanagerPayload) async throws -> AlertReceipt {
        try await remote.call(NotificationsOperations.receiveAlerts, payload)
    }

    /// The on-call list.
    public func onCall() async throws -> [OnCallEntry] {
        try await remote.call(NotificationsOperations.onCall, NoContent())
    }

    /// Replaces the on-call list.
    public func setOnCall(_ entries: [OnCallEntry]) async throws -> [OnCallEntry] {
        try await remote.call(NotificationsOperations.setOnCall, .init(entries: entries))
    }

    /// A customer's delivery log.
    public func deliveries(ofCustomer customerID: String, page: PageRequest) async throws -> Page<Delivery> {
        try await remote.call(NotificationsOperations.deliveries, .init(customerID: customerID, page: page))
    }
}
