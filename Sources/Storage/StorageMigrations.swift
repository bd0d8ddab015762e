/// The platform's own tables: the outbox, the inbox and the idempotency keys.
public enum StorageMigrations {
    /// Migrations of the `platform` schema owner.
    public static let set = MigrationSet(
        service: "platform",
        migrations: [
            CreateOutboxEvents(), IndexPendingOutboxEvents(), CreateInboxEvents(), CreateIdempotencyKeys(), CreateConflictFunction(),
            DeleteIdempotencyClaims(), AddOutboxTrace(),
        ])
}
