import Storage

/// The table of ``DatabaseBlobStore``, as a set a service migrates beside its own
/// (`Migrator(database:).migrate([SupportMigrations.set, BlobsMigrations.set])`).
public enum BlobsMigrations {
    /// Migrations of the `blobs` schema owner.
    public static let set = MigrationSet(service: "blobs", migrations: [CreateBlobs()])
}
