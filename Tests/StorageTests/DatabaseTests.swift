import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Database on SQLite and PostgreSQL")
struct DatabaseTests {
    static let table = MigrationSet(
        service: "test",
        migrations: [
            SQLMigration(
                "CreateThings",
                [
                    """
                    CREATE TABLE things (
                        id TEXT PRIMARY KEY, n BIGINT, label TEXT, flag BOOLEAN, at BIGINT, blob_text TEXT
                    )
                    """
                ])
        ])

    @Test(arguments: DatabaseKind.available)
    func valuesRoundTrip(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [Self.table]) { db in
            let time = Date(microsecondsSince1970: 1_790_000_000_123_456)
            try await db.query(
                "INSERT INTO things (id, n, label, flag, at) VALUES ($1, $2, $3, $4, $5)", "a", Int64.max, "Привет, 'мир'", true, time)
            try await db.query(
                "INSERT INTO things (id, n, label, flag, at) VALUES ($1, $2, $3, $4, $5)", "b", -7, nil as String?, false, nil as Date?)
            let a = try #require(try await db.first("SELECT * FROM things WHERE id = $1", "a"))
            #expect(try a.int64("n") == Int64.max)
            #expect(try a.string("label") == "Привет, 'мир'")
            #expect(try a.bool("flag"))
            #expect(try a.date("at") == time)
            let b = try #require(try await db.first("SELECT * FROM things WHERE id = $1", "b"))
            #expect(try b.int64("n") == -7)
            #expect(try b.optionalString("label") == nil)
            #expect(try b.bool("flag") == false)
            #expect(try b.optionalDate("at") == nil)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func placeholdersInsideLiteralsAreLeftAlone(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind) { db in
            let row = try #require(try await db.first("SELECT '$1 costs $2' AS text, $1 AS value", "x"))
            #expect(try row.string("text") == "$1 costs $2")
            #expect(try row.string("value") == "x")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func placeholdersMayRepeatAndComeOutOfOrder(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [Self.table]) { db in
            try await db.query("INSERT INTO things (id, label, n) VALUES ($2, $1, $3)", "label", "id-1", 5)
            let row = try #require(try await db.first("SELECT id, label FROM things WHERE n = $1 AND (id = $2 OR label = $2)", 5, "id-1"))
            #expect(try row.string("id") == "id-1")
            #expect(try row.string("label") == "label")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func failedTransactionLeavesNothing(kind: DatabaseKind) async throws {
        struct Boom: Error {}
        try await TestDatabases.with(kind, migrations: [Self.table]) { db in
            await #expect(throws: Boom.self) {
                try await db.transaction { tx in
                    try await tx.query("INSERT INTO things (id) VALUES ($1)", "x")
                    throw Boom()
                }
            }
            #expect(try await db.query("SELECT id FROM things", []).isEmpty)
            _ = try await db.transaction { tx in try await tx.query("INSERT INTO things (id) VALUES ($1)", "y") }
            #expect(try await db.query("SELECT id FROM things", []).count == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func uniqueViolationIsReportedAsSuch(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [Self.table]) { db in
            try await db.query("INSERT INTO things (id) VALUES ($1)", "dup")
            await #expect {
                try await db.query("INSERT INTO things (id) VALUES ($1)", "dup")
            } throws: { error in
                if case StorageError.uniqueViolation = error { return true }
                return false
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func concurrentTransactionsSerialiseCorrectly(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [Self.table]) { db in
            try await db.query("INSERT INTO things (id, n) VALUES ('counter', 0)", [])
            let lock = db.dialect == .postgres ? " FOR UPDATE" : ""
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await db.transaction { tx in
                            let n = try #require(try await tx.first("SELECT n FROM things WHERE id = 'counter'\(lock)")).int64("n")
                            try await tx.query("UPDATE things SET n = $1 WHERE id = 'counter'", n + 1)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await db.first("SELECT n FROM things WHERE id = 'counter'")?.int64("n") == 40)
        }
    }
}

@Suite("The database inside one of its own transactions")
struct TransactionRuleTests {
    /// The database always means a statement or transaction of its own: on PostgreSQL one that commits beside the
    /// enclosing transaction, on SQLite a refusal of any write (the transaction holds the only writer); reads see the
    /// last commit on both.
    @Test(arguments: DatabaseKind.available)
    func theDatabaseNeverJoinsTheTransaction(kind: DatabaseKind) async throws {
        struct Rollback: Error {}
        try await TestDatabases.with(kind, migrations: [DatabaseTests.table]) { db in
            try await db.query("INSERT INTO things (id, n) VALUES ('committed', 1)", [])
            await #expect(throws: Rollback.self) {
                try await db.transaction { tx in
                    try await tx.query("UPDATE things SET n = 2 WHERE id = 'committed'", [])
                    #expect(try await db.first("SELECT n FROM things WHERE id = 'committed'")?.int("n") == 1, "the last commit")
                    #expect(try await tx.first("SELECT n FROM things WHERE id = 'committed'")?.int("n") == 2, "the transaction's own")
                    if kind == .sqlite {
                        await #expect(throws: StorageError.writeInsideTransaction) {
                            try await db.query("INSERT INTO things (id) VALUES ('beside')", [])
                        }
                        await #expect(throws: StorageError.writeInsideTransaction) {
                            try await db.transaction { other in try await other.query("INSERT INTO things (id) VALUES ('own')", []) }
                        }
                        await #expect(throws: StorageError.writeInsideTransaction) {
                            try await withThrowingTaskGroup(of: Void.self) { group in
                                group.addTask { try await db.query("INSERT INTO things (id) VALUES ('child')", []) }
                                try await group.waitForAll()
                            }
                        }
                    } else {
                        try await db.query("INSERT INTO things (id) VALUES ('beside')", [])
                        try await db.transaction { other in try await other.query("INSERT INTO things (id) VALUES ('own')", []) }
                    }
                    try await tx.query("INSERT INTO things (id) VALUES ('inside')", [])
                    throw Rollback()
                }
            }
            try await db.query("INSERT INTO things (id) VALUES ('after')", [])
            let left = try await db.query("SELECT id, n FROM things ORDER BY id", [])
            let expected = kind == .sqlite ? ["after", "committed"] : ["after", "beside", "committed", "own"]
            #expect(try left.map { try $0.string("id") } == expected, "what the database ran committed; the transaction rolled back")
            #expect(try await db.first("SELECT n FROM things WHERE id = 'committed'")?.int("n") == 1)
        }
    }
}
