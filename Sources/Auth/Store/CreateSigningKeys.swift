import Storage

/// The `signing_keys` table: the keys that sign access tokens, by key id, until they retire.
struct CreateSigningKeys: Migration {
    let name = "CreateSigningKeys"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
            """
            CREATE TABLE signing_keys (
                kid TEXT PRIMARY KEY,
                private_key TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                retire_at BIGINT
            )
            """, [])
    }
}
