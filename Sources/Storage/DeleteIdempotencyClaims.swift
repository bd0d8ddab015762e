/// Deletes the idempotency keys an earlier version left claimed and in progress: keys are written only completed
/// now, and such a claim died with its process.
struct DeleteIdempotencyClaims: Migration {
    let name = "DeleteIdempotencyClaims"

    func apply(on database: any SQLExecutor) async throws {
        try await database.query("DELETE FROM idempotency_keys WHERE locked_until IS NOT NULL", [])
    }
}
