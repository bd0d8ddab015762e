import Storage

/// The billing service's tables, in order. Days are stored as day numbers since 1970-01-01 (integers), periods as
/// `YYYY-MM`, money as kopecks, times as microseconds.
public enum BillingMigrations {
    /// Migrations of the `billing` service.
    public static let set = MigrationSet(
        service: "billing",
        migrations: [
            SQLMigration(
                "CreateBillingAccounts",
                [
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
                ]),
            SQLMigration(
                "CreateTariffs",
                [
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
                ]),
            SQLMigration(
                "CreateSubscriptions",
                [
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
                ]),
            SQLMigration(
                "CreateInvoices",
                [
                    """
                    CREATE TABLE invoices (
                        id TEXT PRIMARY KEY,
                        number TEXT NOT NULL UNIQUE,
                        customer_id TEXT NOT NULL,
                        period TEXT NOT NULL,
                        status TEXT NOT NULL,
                        total BIGINT NOT NULL,
                        vat BIGINT NOT NULL,
                        amount_paid BIGINT NOT NULL DEFAULT 0,
                        issued_at BIGINT NOT NULL,
                        due_on BIGINT NOT NULL,
                        run_id TEXT,
                        overdue_at BIGINT,
                        UNIQUE (customer_id, period)
                    )
                    """,
                    "CREATE INDEX invoices_open ON invoices (due_on) WHERE status = 'issued'",
                    """
                    CREATE TABLE invoice_lines (
                        invoice_id TEXT NOT NULL REFERENCES invoices (id),
                        subscription_id TEXT NOT NULL,
                        period TEXT NOT NULL,
                        tariff_id TEXT NOT NULL,
                        description_ru TEXT NOT NULL,
                        description_en TEXT NOT NULL,
                        days INTEGER NOT NULL,
                        period_days INTEGER NOT NULL,
                        amount BIGINT NOT NULL,
                        vat BIGINT NOT NULL,
                        vat_rate_percent INTEGER,
                        UNIQUE (subscription_id, period)
                    )
                    """,
                    "CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id)",
                    "CREATE TABLE invoice_counters (period TEXT PRIMARY KEY, last_number BIGINT NOT NULL)",
                ]),
            SQLMigration(
                "CreatePayments",
                [
                    """
                    CREATE TABLE payments (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL,
                        invoice_id TEXT,
                        amount BIGINT NOT NULL,
                        method TEXT NOT NULL,
                        provider TEXT,
                        status TEXT NOT NULL,
                        refunded_amount BIGINT NOT NULL DEFAULT 0,
                        confirmation_url TEXT,
                        reference TEXT,
                        created_by TEXT,
                        created_at BIGINT NOT NULL,
                        updated_at BIGINT NOT NULL
                    )
                    """,
                    "CREATE INDEX payments_customer ON payments (customer_id, created_at)",
                    "CREATE INDEX payments_invoice ON payments (invoice_id)",
                ]),
            SQLMigration(
                "CreateLedger",
                shared: [
                    """
                    CREATE TABLE ledger_transactions (
                        id TEXT PRIMARY KEY,
                        kind TEXT NOT NULL,
                        customer_id TEXT,
                        invoice_id TEXT,
                        payment_id TEXT,
                        description_ru TEXT NOT NULL,
                        description_en TEXT NOT NULL,
                        occurred_at BIGINT NOT NULL
                    )
                    """
                ],
                sqlite: [
                    """
                    CREATE TABLE ledger_entries (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        transaction_id TEXT NOT NULL,
                        account TEXT NOT NULL,
                        customer_id TEXT,
                        invoice_id TEXT,
                        amount BIGINT NOT NULL,
                        balance_after BIGINT
                    )
                    """,
                    "CREATE INDEX ledger_entries_customer ON ledger_entries (customer_id, account, seq)",
                ],
                postgres: [
                    """
                    CREATE TABLE ledger_entries (
                        seq BIGSERIAL PRIMARY KEY,
                        transaction_id TEXT NOT NULL,
                        account TEXT NOT NULL,
                        customer_id TEXT,
                        invoice_id TEXT,
                        amount BIGINT NOT NULL,
                        balance_after BIGINT
                    )
                    """,
                    "CREATE INDEX ledger_entries_customer ON ledger_entries (customer_id, account, seq)",
                ]),
            SQLMigration(
                "CreatePromisedPayments",
                [
                    """
                    CREATE TABLE promised_payments (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL,
                        amount BIGINT NOT NULL,
                        taken_at BIGINT NOT NULL,
                        expires_at BIGINT NOT NULL,
                        closed_at BIGINT
                    )
                    """,
                    "CREATE UNIQUE INDEX promised_payments_open ON promised_payments (customer_id) WHERE closed_at IS NULL",
                    "CREATE INDEX promised_payments_customer ON promised_payments (customer_id, taken_at)",
                ]),
            SQLMigration(
                "CreateBillingRuns",
                [
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
                ]),
            SQLMigration(
                "CreateSubscriptionSuspensions",
                [
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
                ]),
            SQLMigration(
                "CreateSubscriptionCharges",
                [
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
                ]),
        ])
}
