import Storage

/// The `login_attempts` table: failed sign-ins per subject and the lockout they lead to.
struct CreateLoginAttempts: Migration {
    let name = "CreateLoginAttempts"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
            """
            CREATE TABLE login_attempts (
                subject TEXT PRIMARY KEY,
                failures INTEGER NOT NULL,
                window_start BIGINT NOT NULL,
                locked_until BIGINT,
                lock_level INTEGER NOT NULL
            )
            """, [])
    }
}
