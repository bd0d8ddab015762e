import Storage

/// The `billing_accounts` table: one account per customer, with its balance and credit limit (kopecks), and the
/// index the debt sweep walks.
struct CreateBillingAccounts: Migration {
    let name = "CreateBillingAccounts"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
            """
            CREATE TABLE billing_accounts (
                customer_id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL UNIQUE,
                currency TEXT NOT NULL,
                balance BIGINT NOT NULL DEFAULT 0,
                credit_limit BIGINT NOT NULL DEFAULT 0,
                credit_limit_override BIGINT,
                locale TEXT NOT NULL DEFAULT 'ru',
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX billing_accounts_debt ON billing_accounts (balance, customer_id) WHERE balance < 0",
        ] {
            try await database.query(statement, [])
        }
    }
}
