import Foundation
import Storage
import Testing

/// With PostgreSQL unreachable, statements and transactions fail with `unavailable` once the lease timeout passes,
/// instead of waiting for ever while the pool keeps trying to connect.
@Suite("PostgreSQL unreachable")
struct PostgresUnreachableTests {
    @Test("A statement and a transaction on an unreachable server answer unavailable")
    func unreachableServer() async throws {
        // Port 1 on loopback: every connection attempt is refused, and the pool keeps trying.
        let database = try PostgresDatabase(url: "postgres://lastmile:secret@127.0.0.1:1/lastmile", acquireTimeout: .milliseconds(200))
        try await DatabaseFactory.run(database) { database in
            await #expect(throws: StorageError.self) { try await database.query("SELECT 1 AS one", []) }
            do {
                _ = try await database.transaction { try await $0.query("SELECT 1 AS one", []) }
                Issue.record("a transaction on an unreachable server succeeded")
            } catch let error as StorageError {
                guard case .unavailable = error else { throw error }
            }
        }
    }
}
