/// The request an outbox event came from (`request_id`, `traceparent`; NULL for work no request caused), so that
/// the relay passes it on and consumers handle the event in that request's context.
struct AddOutboxTrace: Migration {
    let name = "AddOutboxTrace"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query("ALTER TABLE outbox_events ADD COLUMN request_id TEXT", [])
        try await database.query("ALTER TABLE outbox_events ADD COLUMN traceparent TEXT", [])
    }
}
