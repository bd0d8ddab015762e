import Storage

/// What a provider payment's saga keeps: the provider's id and our idempotency key for it, the request to send again
/// after a crash, why it failed; refunds as rows of their own (pending until the provider answers); the sandbox
/// provider's own state; and the receipt contact of each account.
struct AddProviderSaga: Migration {
    let name = "AddProviderSaga"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
            "ALTER TABLE payments ADD COLUMN provider_payment_id TEXT",
            "ALTER TABLE payments ADD COLUMN provider_key TEXT",
            "ALTER TABLE payments ADD COLUMN provider_request TEXT",
            "ALTER TABLE payments ADD COLUMN failure_reason TEXT",
            "CREATE INDEX payments_pending ON payments (created_at) WHERE status = 'pending' AND method = 'provider'",
            "CREATE UNIQUE INDEX payments_provider_id ON payments (provider, provider_payment_id)",
            """
            CREATE TABLE payment_refunds (
                id TEXT PRIMARY KEY,
                payment_id TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                amount BIGINT NOT NULL,
                status TEXT NOT NULL,
                provider TEXT NOT NULL,
                provider_refund_id TEXT,
                provider_key TEXT NOT NULL,
                provider_request TEXT NOT NULL,
                reason TEXT NOT NULL,
                failure_reason TEXT,
                created_by TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX payment_refunds_payment ON payment_refunds (payment_id)",
            "CREATE INDEX payment_refunds_pending ON payment_refunds (created_at) WHERE status = 'pending'",
            """
            CREATE TABLE sandbox_payments (
                id TEXT PRIMARY KEY,
                payment_id TEXT NOT NULL UNIQUE,
                idempotency_key TEXT NOT NULL UNIQUE,
                amount BIGINT NOT NULL,
                status TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "ALTER TABLE billing_accounts ADD COLUMN receipt_email TEXT",
            "ALTER TABLE billing_accounts ADD COLUMN receipt_phone TEXT",
        ] {
            try await database.query(statement, [])
        }
    }
}
