import Storage

/// The `sessions` table: a signed-in device of a user until it expires or is revoked.
struct CreateSessions: Migration {
    let name = "CreateSessions"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
            """
            CREATE TABLE sessions (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL,
                device TEXT NOT NULL,
                ip_address TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                revoked_at BIGINT
            )
            """,
            "CREATE INDEX sessions_user ON sessions (user_id)",
        ] {
            try await database.query(statement, [])
        }
    }
}
