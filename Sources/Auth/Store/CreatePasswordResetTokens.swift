import Storage

/// The `password_reset_tokens` table: the hashes of password-reset tokens, each used at most once.
struct CreatePasswordResetTokens: Migration {
    let name = "CreatePasswordResetTokens"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
            """
            CREATE TABLE password_reset_tokens (
                token_hash TEXT PRIMARY KEY,
                user_id TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT
            )
            """, [])
    }
}
