import Foundation
import Storage
import TestSupport
import Testing

@Suite("Migrations")
struct MigratorTests {
    static let set = MigrationSet(
        service: "demo",
        migrations: [
            SQLMigration("CreateWidgets", ["CREATE TABLE widgets (id TEXT PRIMARY KEY)"]),
            SQLMigration("AddWidgetColour", ["ALTER TABLE widgets ADD COLUMN colour TEXT"]),
        ])

    @Test(arguments: DatabaseKind.available)
    func appliesOnceAndRecords(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind) { db in
            let migrator = Migrator(database: db, logger: TestDatabases.logger)
            #expect(try await migrator.migrate([Self.set]) == ["demo/CreateWidgets", "demo/AddWidgetColour"])
            #expect(try await migrator.migrate([Self.set]).isEmpty)
            #expect(try await migrator.applied() == ["demo/CreateWidgets", "demo/AddWidgetColour"])
            try await db.query("INSERT INTO widgets (id, colour) VALUES ('w', 'red')", [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aFailingMigrationAppliesNothing(kind: DatabaseKind) async throws {
        let broken = MigrationSet(
            service: "broken",
            migrations: [
                SQLMigration("CreateGood", ["CREATE TABLE good (id TEXT)"]),
                SQLMigration("Typo", ["CREAT TABLE bad (id TEXT)"]),
            ])
        try await TestDatabases.with(kind) { db in
            let migrator = Migrator(database: db, logger: TestDatabases.logger)
            await #expect(throws: (any Error).self) { try await migrator.migrate([broken]) }
            await #expect(throws: (any Error).self) { try await db.query("SELECT id FROM good", []) }
        }
    }

    @Test("two processes migrating at once apply each migration once")
    func concurrentRunnersOnSQLite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lastmile-mig-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db.sqlite").path
        let first = try await SQLiteDatabase.open(path: path, logger: TestDatabases.logger)
        let second = try await SQLiteDatabase.open(path: path, logger: TestDatabases.logger)
        async let a = Migrator(database: first, logger: TestDatabases.logger).migrate([Self.set])
        async let b = Migrator(database: second, logger: TestDatabases.logger).migrate([Self.set])
        let (applied1, applied2) = try await (a, b)
        #expect((applied1 + applied2).sorted() == ["demo/AddWidgetColour", "demo/CreateWidgets"])
        #expect(try await Migrator(database: first).applied().count == 2)
        try await first.close()
        try await second.close()
    }

    @Test("two runners on one PostgreSQL schema apply each migration once", .enabled(if: DatabaseKind.postgresURL != nil))
    func concurrentRunnersOnPostgres() async throws {
        try await TestDatabases.with(.postgres) { db in
            async let a = Migrator(database: db, logger: TestDatabases.logger).migrate([Self.set])
            async let b = Migrator(database: db, logger: TestDatabases.logger).migrate([Self.set])
            let (applied1, applied2) = try await (a, b)
            #expect((applied1 + applied2).sorted() == ["demo/AddWidgetColour", "demo/CreateWidgets"])
        }
    }
}
