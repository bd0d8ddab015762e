/// The index the relay finds unpublished, live outbox events by, in order.
struct IndexPendingOutboxEvents: Migration {
    let name = "IndexPendingOutboxEvents"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
            "CREATE INDEX outbox_events_pending ON outbox_events (seq) WHERE published_at IS NULL AND dead_at IS NULL", [])
    }
}
