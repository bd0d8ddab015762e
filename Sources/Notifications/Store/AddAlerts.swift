import Storage

/// Alertmanager's alerts seen (to drop its repeats) and the service's own settings (the on-call list).
struct AddAlerts: Migration {
    let name = "AddAlerts"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
            """
            CREATE TABLE notification_alerts (
                fingerprint TEXT NOT NULL,
                status TEXT NOT NULL,
                starts_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL,
                PRIMARY KEY (fingerprint, status, starts_at)
            )
            """, [])
        try await database.query("CREATE TABLE notification_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at BIGINT NOT NULL)", [])
    }
}
