import Storage

/// The `contracts` table: service addresses under unique numbers, with the address key search walks.
struct CreateContracts: Migration {
    let name = "CreateContracts"

    func apply(on database: any SQLExecutor) async throws {
        let key = CustomersMigrations.keyType(database.dialect)
        try await database.query(
            """
            CREATE TABLE contracts (
                id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL,
                number \(key) NOT NULL,
                city TEXT NOT NULL,
                street TEXT NOT NULL,
                building TEXT NOT NULL,
                apartment TEXT,
                address_key \(key) NOT NULL,
                signed_on TEXT NOT NULL,
                is_active BOOLEAN NOT NULL,
                created_at BIGINT NOT NULL
            )
            """, [])
        for statement in [
            "CREATE UNIQUE INDEX contracts_number ON contracts (number)",
            "CREATE INDEX contracts_customer ON contracts (customer_id, created_at)",
            "CREATE INDEX contracts_address ON contracts (address_key)",
        ] {
            try await database.query(statement, [])
        }
    }
}
