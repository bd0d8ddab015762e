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

    /// A customer's delivery log.
    public func deliveries(ofCustomer customerID: String, page: PageRequest) async throws -> Page<Delivery> {
        try await remote.call(NotificationsOperations.deliveries, .init(customerID: customerID, page: page))
    }
}
