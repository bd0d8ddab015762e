import Storage

/// The `payments` table: top-ups and invoice payments, by any method, with their provider's state.
struct CreatePayments: Migration {
    let name = "CreatePayments"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
            """
            CREATE TABLE payments (
                id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL,
                invoice_id TEXT,
                amount BIGINT NOT NULL,
                method TEXT NOT NULL,
                provider TEXT,
                status TEXT NOT NULL,
                refunded_amount BIGINT NOT NULL DEFAULT 0,
                confirmation_url TEXT,
                reference TEXT,
                created_by TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX payments_customer ON payments (customer_id, created_at)",
            "CREATE INDEX payments_invoice ON payments (invoice_id)",
        ] {
            try await database.query(statement, [])
        }
    }
}
