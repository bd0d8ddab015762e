/// The `inbox_events` table: the events each consumer has handled, so a redelivery is handled once.
struct CreateInboxEvents: Migration {
    let name = "CreateInboxEvents"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
            """
            CREATE TABLE inbox_events (
                consumer TEXT NOT NULL, event_id TEXT NOT NULL, handled_at BIGINT NOT NULL,
                PRIMARY KEY (consumer, event_id)
            )
            """, [])
    }
}
