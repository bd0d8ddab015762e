import Storage

/// The `subscriptions` table, with each subscription's tariff over time (`subscription_tariffs`) and its pauses
/// (`subscription_pauses`).
struct CreateSubscriptions: Migration {
    let name = "CreateSubscriptions"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
            """
            CREATE TABLE subscriptions (
                id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL REFERENCES billing_accounts (customer_id),
                contract_id TEXT NOT NULL,
                tariff_id TEXT NOT NULL REFERENCES tariffs (id),
                next_tariff_id TEXT,
                status TEXT NOT NULL,
                starts_on BIGINT NOT NULL,
                ends_on BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX subscriptions_customer ON subscriptions (customer_id)",
            """
            CREATE TABLE subscription_tariffs (
                subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
                effective_from BIGINT NOT NULL,
                tariff_id TEXT NOT NULL,
                PRIMARY KEY (subscription_id, effective_from)
            )
            """,
            """
            CREATE TABLE subscription_pauses (
                id TEXT PRIMARY KEY,
                subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
                starts_on BIGINT NOT NULL,
                ends_before BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX subscription_pauses_subscription ON subscription_pauses (subscription_id, starts_on)",
        ] {
            try await database.query(statement, [])
        }
    }
}
