import Storage

/// The `customers` table: one row per user account, with the keys operator search walks.
///
/// Search keys and their indexes: `name_key` (with `id`, the order of search results), `phone` (E.164),
/// `phone_reversed` (the number's digits last first, for "ends with"), `email_key` (lower case).
struct CreateCustomers: Migration {
    let name = "CreateCustomers"

    func apply(on database: any SQLExecutor) async throws {
        let key = CustomersMigrations.keyType(database.dialect)
        try await database.query(
            """
            CREATE TABLE customers (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL,
                full_name TEXT NOT NULL,
                name_key \(key) NOT NULL,
                phone \(key),
                phone_reversed \(key),
                email TEXT,
                email_key \(key),
                status TEXT NOT NULL,
                locale TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """, [])
        for statement in [
            "CREATE UNIQUE INDEX customers_user ON customers (user_id)",
            "CREATE INDEX customers_name ON customers (name_key, id)",
            "CREATE INDEX customers_phone ON customers (phone)",
            "CREATE INDEX customers_phone_reversed ON customers (phone_reversed)",
            "CREATE INDEX customers_email ON customers (email_key)",
        ] {
            try await database.query(statement, [])
        }
    }
}
