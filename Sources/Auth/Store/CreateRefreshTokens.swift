import Storage

/// The `refresh_tokens` table: the hashes of a session's refresh tokens, each used at most once.
struct CreateRefreshTokens: Migration {
    let name = "CreateRefreshTokens"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
            """
            CREATE TABLE refresh_tokens (
                token_hash TEXT PRIMARY KEY,
                session_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                issued_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT,
                revoked_at BIGINT
            )
            """,
            "CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id)",
        ] {
            try await database.query(statement, [])
        }
    }
}
