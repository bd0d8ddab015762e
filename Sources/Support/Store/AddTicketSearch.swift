import Storage

/// Full-text search over tickets' subjects and messages: on PostgreSQL a `tsvector` per ticket in the `russian`
/// configuration (Russian stems, English stems for Latin words) under a GIN index; on SQLite an FTS5 table with a
/// row per subject and message (whole words, case and diacritics folded, so `ё` finds `е`).
struct AddTicketSearch: Migration {
    let name = "AddTicketSearch"

    func apply(on database: any SQLExecutor) async throws {
        // Search results come newest first: walking this index, PostgreSQL stops at a page of matches of a common word.
        try await database.query("CREATE INDEX support_tickets_recent ON support_tickets (created_at, id)", [])
        if database.dialect == .postgres {
            try await database.query("ALTER TABLE support_tickets ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector", [])
            try await database.query("CREATE INDEX support_tickets_search ON support_tickets USING GIN (search)", [])
        } else {
            try await database.query(
                "CREATE VIRTUAL TABLE support_search USING fts5(ticket_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')", [])
        }
    }
}
