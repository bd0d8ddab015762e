import Storage

/// The `support_attachments` table: each file of a ticket's message, its bytes in a blob store under `blob_key`.
struct AddTicketAttachments: Migration {
    let name = "AddTicketAttachments"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
            """
            CREATE TABLE support_attachments (
                id TEXT PRIMARY KEY,
                ticket_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                blob_key TEXT NOT NULL,
                type TEXT NOT NULL,
                file_name TEXT NOT NULL,
                size BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """, [])
        try await database.query("CREATE INDEX support_attachments_ticket ON support_attachments (ticket_id, created_at)", [])
    }
}
