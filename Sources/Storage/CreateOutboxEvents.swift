/// The `outbox_events` table: events written in the transaction of the change they report, numbered in the order
/// they were written (`seq`), until the relay publishes them (or gives up: `dead_at`).
struct CreateOutboxEvents: Migration {
    let name = "CreateOutboxEvents"

    func apply(on database: any SQLExecutor) async throws {
        let seq = database.dialect == .sqlite ? "seq INTEGER PRIMARY KEY AUTOINCREMENT" : "seq BIGSERIAL PRIMARY KEY"
        try await database.query(
            """
            CREATE TABLE outbox_events (
                \(seq),
                id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, version INTEGER NOT NULL,
                occurred_at BIGINT NOT NULL, payload TEXT NOT NULL,
                published_at BIGINT, attempts INTEGER NOT NULL DEFAULT 0, available_at BIGINT NOT NULL DEFAULT 0,
                claimed_by TEXT, claimed_until BIGINT, last_error TEXT, dead_at BIGINT
            )
            """, [])
    }
}
