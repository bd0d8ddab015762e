import Storage

/// The customer service's tables, in order.
public enum CustomersMigrations {
    /// Migrations of the `customers` service.
    public static let set = MigrationSet(
        service: "customers",
        migrations: [CreateCustomers(), CreateContracts(), CreateContractCounters(), CreateCustomerTimeline()])

    /// The column type of search keys: compared byte by byte on both engines, so prefix ranges can use the index
    /// whatever the database's collation is.
    static func keyType(_ dialect: SQLDialect) -> String {
        dialect == .postgres ? "TEXT COLLATE \"C\"" : "TEXT"
    }
}
