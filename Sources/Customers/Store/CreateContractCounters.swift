import Storage

/// The `contract_counters` table: the last sequence value handed out per scope (a year, a month, or one for all).
struct CreateContractCounters: Migration {
    let name = "CreateContractCounters"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query("CREATE TABLE contract_counters (scope TEXT PRIMARY KEY, last_value BIGINT NOT NULL)", [])
    }
}
