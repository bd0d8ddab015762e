/// The idempotency-key table behind ``IdempotencyKeys``: one row per (scope, key), written once with its answer.
///
/// Times are microseconds. `lock_token` and `locked_until` held the claims of an earlier algorithm: every row now has
/// a random token and no lock (``StorageMigrations`` deletes claims left in progress).
struct CreateIdempotencyKeys: Migration {
    let name = "CreateIdempotencyKeys"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
            """
            CREATE TABLE idempotency_keys (
                scope TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                lock_token TEXT NOT NULL,
                locked_until BIGINT,
                response_status INTEGER,
                response_body TEXT,
                created_at BIGINT NOT NULL,
                completed_at BIGINT,
                expires_at BIGINT NOT NULL,
                PRIMARY KEY (scope, idempotency_key)
            )
            """, [])
        try await database.query("CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)", [])
    }
}
