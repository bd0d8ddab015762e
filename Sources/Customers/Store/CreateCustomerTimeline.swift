import Storage

/// The `customer_timeline` table: the CRM view's entries, read newest first per customer.
struct CreateCustomerTimeline: Migration {
    let name = "CreateCustomerTimeline"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
            """
            CREATE TABLE customer_timeline (
                id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                source TEXT NOT NULL,
                summary TEXT NOT NULL,
                author_id TEXT,
                occurred_at BIGINT NOT NULL
            )
            """, [])
        try await database.query("CREATE INDEX customer_timeline_recent ON customer_timeline (customer_id, occurred_at, id)", [])
    }
}
