import Storage

/// The monthly run's `billing_runs` (progress and result) and `billing_leases` (which runner may write).
struct CreateBillingRuns: Migration {
    let name = "CreateBillingRuns"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
            """
            CREATE TABLE billing_runs (
                id TEXT PRIMARY KEY,
                period TEXT NOT NULL,
                dry_run BOOLEAN NOT NULL,
                status TEXT NOT NULL,
                subscriptions_total BIGINT NOT NULL DEFAULT 0,
                subscriptions_processed BIGINT NOT NULL DEFAULT 0,
                invoices_created BIGINT NOT NULL DEFAULT 0,
                total_amount BIGINT NOT NULL DEFAULT 0,
                started_by TEXT,
                started_at BIGINT NOT NULL,
                finished_at BIGINT,
                error TEXT
            )
            """,
            "CREATE INDEX billing_runs_started ON billing_runs (started_at, id)",
            """
            CREATE TABLE billing_leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                run_id TEXT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
        ] {
            try await database.query(statement, [])
        }
    }
}
