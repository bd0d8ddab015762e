import Storage

/// The support service's tables, in order.
public enum SupportMigrations {
    /// Migrations of the `support` service.
    public static let set = MigrationSet(service: "support", migrations: [CreateSupportTables(), AddTicketSearch(), AddTicketAttachments()])
}
