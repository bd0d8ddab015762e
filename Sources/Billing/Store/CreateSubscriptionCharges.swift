import Storage

/// The `subscription_charges` table: a (subscription, period) charged outside the monthly run (created after the
/// period was run, or resumed from a suspension), so the run leaves it out and it is charged once.
struct CreateSubscriptionCharges: Migration {
    let name = "CreateSubscriptionCharges"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
            """
            CREATE TABLE subscription_charges (
                subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
                period TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                amount BIGINT NOT NULL,
                vat BIGINT NOT NULL,
                days INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (subscription_id, period)
            )
            """
        ] {
            try await database.query(statement, [])
        }
    }
}
