import Storage

/// The notification service's tables, in order.
public enum NotificationsMigrations {
    /// Migrations of the `notifications` service.
    public static let set = MigrationSet(
        service: "notifications", migrations: [CreateNotificationTables(), AddUnsubscribeAndTemplates(), AddAlerts(), AddDeliveryChecks()])
}
