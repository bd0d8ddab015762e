import Storage

/// The `tariffs` table and each tariff's monthly prices over time (`tariff_prices`).
struct CreateTariffs: Migration {
    let name = "CreateTariffs"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
            """
            CREATE TABLE tariffs (
                id TEXT PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name_ru TEXT NOT NULL,
                name_en TEXT NOT NULL,
                download_mbps INTEGER NOT NULL,
                upload_mbps INTEGER NOT NULL,
                vat TEXT NOT NULL,
                credit_limit BIGINT NOT NULL,
                archived BOOLEAN NOT NULL DEFAULT FALSE,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE tariff_prices (
                tariff_id TEXT NOT NULL REFERENCES tariffs (id),
                effective_from BIGINT NOT NULL,
                monthly_price BIGINT NOT NULL,
                PRIMARY KEY (tariff_id, effective_from)
            )
            """,
        ] {
            try await database.query(statement, [])
        }
    }
}
