import Messaging
import ServerKit
import ServiceKit
import ServiceLifecycle
import Storage

extension NotificationsService: PlatformService {
    /// `notifications`.
    public var name: String { "notifications" }
    /// Devices, preferences, notifications, the inbox and the delivery log.
    public var migrations: [MigrationSet] { [NotificationsMigrations.set] }
    /// Events of billing, support and auth.
    public var consumers: [EventConsumer] { [eventsConsumer()] }

    /// Nothing to prepare.
    public func start() async throws {}

    /// The delivery job in every process (rows are claimed, so processes share the work).
    public func backgroundWork(schedules: Bool) -> [any Service] { [DeliveryJob(notifications: self)] }

    /// ``NotificationsInternalRoutes``.
    public func registerInternalRoutes(on router: SecureRouter) {
        NotificationsInternalRoutes(notifications: self).register(on: router)
    }
}
