import Storage

/// The service's own keys (the unsubscribe links'), each delivery's one-click unsubscribe address, and the templates
/// operators write, with their versions.
struct AddUnsubscribeAndTemplates: Migration {
    let name = "AddUnsubscribeAndTemplates"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query("CREATE TABLE notification_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)", [])
        try await database.query("ALTER TABLE notification_deliveries ADD COLUMN unsubscribe_url TEXT", [])
        try await database.query(
            """
            CREATE TABLE notification_templates (
                kind TEXT NOT NULL,
                locale TEXT NOT NULL,
                version INTEGER NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                email TEXT,
                action TEXT,
                author_id TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (kind, locale, version)
            )
            """, [])
    }
}
