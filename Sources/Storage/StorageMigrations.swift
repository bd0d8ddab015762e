/// The platform's own tables: the outbox, the inbox and the idempotency keys.
public enum StorageMigrations {
    /// Migrations of the `platform` schema owner.
    public static let set = MigrationSet(
        service: "platform",
        migrations: [
            SQLMigration(
                "CreateOutboxEvents",
                shared: [],
                sqlite: [
                    """
                    CREATE TABLE outbox_events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, version INTEGER NOT NULL,
                        occurred_at BIGINT NOT NULL, payload TEXT NOT NULL,
                        published_at BIGINT, attempts INTEGER NOT NULL DEFAULT 0, available_at BIGINT NOT NULL DEFAULT 0,
                        claimed_by TEXT, claimed_until BIGINT, last_error TEXT, dead_at BIGINT
                    )
                    """
                ],
                postgres: [
                    """
                    CREATE TABLE outbox_events (
                        seq BIGSERIAL PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, version INTEGER NOT NULL,
                        occurred_at BIGINT NOT NULL, payload TEXT NOT NULL,
                        published_at BIGINT, attempts INTEGER NOT NULL DEFAULT 0, available_at BIGINT NOT NULL DEFAULT 0,
                        claimed_by TEXT, claimed_until BIGINT, last_error TEXT, dead_at BIGINT
                    )
                    """
                ]),
            SQLMigration(
                "IndexPendingOutboxEvents",
                ["CREATE INDEX outbox_events_pending ON outbox_events (seq) WHERE published_at IS NULL AND dead_at IS NULL"]),
            SQLMigration(
                "CreateInboxEvents",
                [
                    """
                    CREATE TABLE inbox_events (
                        consumer TEXT NOT NULL, event_id TEXT NOT NULL, handled_at BIGINT NOT NULL,
                        PRIMARY KEY (consumer, event_id)
                    )
                    """
                ]),
            CreateIdempotencyKeys(),
            // Raised by a one-statement request (IdempotentStatement) that cannot settle alone: a serialization
            // failure undoes the statement, and the request runs again as a transaction.
            SQLMigration(
                "CreateConflictFunction", sqlite: [],
                postgres: [
                    """
                    CREATE FUNCTION lastmile_conflict(message TEXT) RETURNS BIGINT LANGUAGE plpgsql AS $$
                    BEGIN
                        RAISE EXCEPTION USING ERRCODE = 'serialization_failure', MESSAGE = message;
                    END
                    $$
                    """
                ]),
            // Keys are written only completed now; a claim an earlier version left in progress died with its process.
            SQLMigration("DeleteIdempotencyClaims", ["DELETE FROM idempotency_keys WHERE locked_until IS NOT NULL"]),
        ])
}
