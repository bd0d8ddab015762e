import Storage

/// The double-entry ledger: `ledger_transactions`, and their signed `ledger_entries` numbered in the order they were
/// written (`seq`), with the balance after each entry on a customer's balance.
struct CreateLedger: Migration {
    let name = "CreateLedger"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query(
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
            """, [])
        let seq = database.dialect == .sqlite ? "seq INTEGER PRIMARY KEY AUTOINCREMENT" : "seq BIGSERIAL PRIMARY KEY"
        try await database.query(
            """
            CREATE TABLE ledger_entries (
                \(seq),
                transaction_id TEXT NOT NULL,
                account TEXT NOT NULL,
                customer_id TEXT,
                invoice_id TEXT,
                amount BIGINT NOT NULL,
                balance_after BIGINT
            )
            """, [])
        try await database.query("CREATE INDEX ledger_entries_customer ON ledger_entries (customer_id, account, seq)", [])
    }
}
