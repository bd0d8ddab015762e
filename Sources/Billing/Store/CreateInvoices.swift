import Storage

/// The `invoices` table, their lines (`invoice_lines`) and the last invoice number per period (`invoice_counters`).
struct CreateInvoices: Migration {
    let name = "CreateInvoices"

    func apply(on database: any SQLExecutor) async throws {
        for statement in [
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
        ] {
            try await database.query(statement, [])
        }
    }
}
