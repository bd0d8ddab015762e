import Storage

/// The `subscription_suspensions` table: the days a subscription is suspended for debt, at most one open at a time
/// (an open one has no `ends_before`).
struct CreateSubscriptionSuspensions: Migration {
    let name = "CreateSubscriptionSuspensions"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
            """
            CREATE TABLE subscription_suspensions (
                subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
                starts_on BIGINT NOT NULL,
                ends_before BIGINT,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (subscription_id, starts_on)
            )
            """,
            "CREATE UNIQUE INDEX subscription_suspensions_open ON subscription_suspensions (subscription_id) WHERE ends_before IS NULL",
        ] {
            try await database.query(statement, [])
        }
    }
}
