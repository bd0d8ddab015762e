import Storage

/// The `promised_payments` table: credit a customer takes until it expires, at most one open at a time.
struct CreatePromisedPayments: Migration {
    let name = "CreatePromisedPayments"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
            """
            CREATE TABLE promised_payments (
                id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL,
                amount BIGINT NOT NULL,
                taken_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                closed_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX promised_payments_open ON promised_payments (customer_id) WHERE closed_at IS NULL",
            "CREATE INDEX promised_payments_customer ON promised_payments (customer_id, taken_at)",
        ] {
            try await database.query(statement, [])
        }
    }
}
