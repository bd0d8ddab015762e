import Storage

/// The `users` table: one row per person who signs in, customer or staff, with a unique normalized e-mail.
struct CreateUsers: Migration {
    let name = "CreateUsers"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                email TEXT NOT NULL,
                email_normalized TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL,
                is_active BOOLEAN NOT NULL,
                locale TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """, [])
    }
}
