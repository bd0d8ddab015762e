import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Prepared statements")
struct PreparedSQLTests {
    static let insert = PreparedSQL("INSERT INTO things (id, n, label) VALUES ($1, $2, $3) RETURNING id, n")
    static let byID = PreparedSQL("SELECT id, n, label FROM things WHERE id = $1")

    @Test
    func theNameIsStableAndDiffersByText() {
        #expect(PreparedSQL("SELECT 1").name == PreparedSQL("SELECT 1").name)
        #expect(PreparedSQL("SELECT 1").name != PreparedSQL("SELECT 2").name)
        #expect(PreparedSQL("SELECT 1").name.hasPrefix("lastmile_"))
        #expect(PreparedSQL("SELECT 1").name.count == "lastmile_".count + 16)
    }

    @Test(arguments: DatabaseKind.available)
    func runsManyTimesOnEveryPooledConnectionAndInTransactions(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [DatabaseTests.table]) { db in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<200 {
                    group.addTask {
                        let inserted = try await db.query(Self.insert, "id-\(n)", n, "label \(n)")
                        #expect(try inserted.first?.int("n") == n)
                    }
                }
                try await group.waitForAll()
            }
            for n in [0, 57, 199] {
                let row = try #require(try await db.query(Self.byID, "id-\(n)").first)
                #expect(try row.string("label") == "label \(n)")
            }
            // In a transaction it runs on the transaction's connection, and rolls back with it.
            await #expect(throws: RolledBack.self) {
                try await db.transaction { transaction in
                    try await transaction.query(Self.insert, "inside", 1, "rolled back")
                    #expect(try await transaction.query(Self.byID, "inside").count == 1)
                    throw RolledBack()
                }
            }
            let after = try await db.query(Self.byID, "inside")
            #expect(after.isEmpty)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aFailingExecutionDoesNotSpoilTheStatement(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [DatabaseTests.table]) { db in
            try await db.query(Self.insert, "dup", 1, "first")
            await #expect(throws: StorageError.self) { try await db.query(Self.insert, "dup", 2, "second") }
            let later = try await db.query(Self.insert, "next", 3, "third")
            #expect(try later.first?.string("id") == "next")
        }
    }

    struct RolledBack: Error {}
}
