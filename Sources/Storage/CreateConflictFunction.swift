/// `lastmile_conflict(message)` on PostgreSQL (nothing on SQLite): raised by a one-statement request
/// (``IdempotentStatement``) that cannot settle alone, its serialization failure undoes the statement and the request
/// runs again as a transaction.
struct CreateConflictFunction: Migration {
    let name = "CreateConflictFunction"

    func apply(on database: any SQLExecutor) async throws {
        guard database.dialect == .postgres else { return }
        try await database.query(
            """
            CREATE FUNCTION lastmile_conflict(message TEXT) RETURNS BIGINT LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION USING ERRCODE = 'serialization_failure', MESSAGE = message;
            END
            $$
            """, [])
    }
}
