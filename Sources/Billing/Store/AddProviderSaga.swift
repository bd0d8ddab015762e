import Storage

/// What a provider payment's saga keeps: the provider's id and our idempotency key for it, the request to send again
/// after a crash, why it failed; refunds as rows of their own (pending until the provider answers); saved payment
/// methods and autopay; the sandbox provider's own state (its "bank"); and the receipt contact of each account.
struct AddProviderSaga: Migration {
    let name = "AddProviderSaga"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
            "ALTER TABLE payments ADD COLUMN provider_payment_id TEXT",
            "ALTER TABLE payments ADD COLUMN provider_key TEXT",
            "ALTER TABLE payments ADD COLUMN provider_request TEXT",
            "ALTER TABLE payments ADD COLUMN failure_reason TEXT",
            "CREATE INDEX payments_pending ON payments (updated_at) WHERE status = 'pending' AND method = 'provider'",
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
            "CREATE INDEX payment_refunds_pending ON payment_refunds (updated_at) WHERE status = 'pending'",
            """
            CREATE TABLE saved_payment_methods (
                id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL,
                provider TEXT NOT NULL,
                token TEXT NOT NULL,
                title TEXT NOT NULL,
                expires TEXT,
                created_at BIGINT NOT NULL,
                deleted_at BIGINT,
                UNIQUE (provider, token)
            )
            """,
            "CREATE INDEX saved_payment_methods_customer ON saved_payment_methods (customer_id)",
            """
            CREATE TABLE autopay_settings (
                customer_id TEXT PRIMARY KEY,
                method_id TEXT NOT NULL,
                enabled BOOLEAN NOT NULL,
                threshold BIGINT,
                top_up_amount BIGINT,
                failures INTEGER NOT NULL DEFAULT 0,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE autopay_charges (
                id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL,
                invoice_id TEXT,
                method_id TEXT NOT NULL,
                amount BIGINT NOT NULL,
                status TEXT NOT NULL,
                payment_id TEXT,
                charge_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX autopay_charges_due ON autopay_charges (charge_at) WHERE status = 'scheduled'",
            """
            CREATE TABLE sandbox_payments (
                id TEXT PRIMARY KEY,
                payment_id TEXT NOT NULL UNIQUE,
                idempotency_key TEXT NOT NULL UNIQUE,
                amount BIGINT NOT NULL,
                status TEXT NOT NULL,
                save_method BOOLEAN NOT NULL,
                saved_token TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE TABLE sandbox_cards (token TEXT PRIMARY KEY, declined BOOLEAN NOT NULL)",
            """
            CREATE TABLE acquirer_reconciliations (
                provider TEXT NOT NULL,
                day TEXT NOT NULL,
                checked INTEGER NOT NULL,
                differences INTEGER NOT NULL,
                ran_at BIGINT NOT NULL,
                PRIMARY KEY (provider, day)
            )
            """,
            """
            CREATE TABLE acquirer_differences (
                id TEXT PRIMARY KEY,
                provider TEXT NOT NULL,
                day TEXT NOT NULL,
                kind TEXT NOT NULL,
                payment_id TEXT,
                provider_id TEXT,
                our_amount BIGINT,
                their_amount BIGINT,
                resolution TEXT NOT NULL,
                found_at BIGINT NOT NULL
            )
            """,
            "ALTER TABLE billing_accounts ADD COLUMN receipt_email TEXT",
            "ALTER TABLE billing_accounts ADD COLUMN receipt_phone TEXT",
        ] {
            try await database.query(statement, [])
        }
    }
}
