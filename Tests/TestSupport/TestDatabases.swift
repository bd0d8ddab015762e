import Foundation
import Kernel
import Logging
import Storage

/// The engines a storage-touching test runs on: SQLite always, PostgreSQL when `LASTMILE_TEST_POSTGRES_URL` is set.
public enum DatabaseKind: String, Sendable, CaseIterable {
    /// A fresh SQLite file.
    case sqlite
    /// A fresh schema in the test PostgreSQL.
    case postgres

    /// The engines available in this run.
    public static var available: [DatabaseKind] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    /// The test server's URL, if any.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["LASTMILE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Fresh, isolated databases for tests: a new file or a new schema each time, removed afterwards.
public enum TestDatabases {
    /// A quiet logger for tests.
    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` with a fresh database of `kind`, migrated with `migrations`.
    public static func with<Result: Sendable>(
        _ kind: DatabaseKind, migrations: [MigrationSet] = [], _ body: @escaping @Sendable (any Database) async throws -> Result
    ) async throws -> Result {
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lastmile-test-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let database = try await SQLiteDatabase.open(path: directory.appendingPathComponent("test.sqlite").path, logger: logger)
            return try await DatabaseFactory.run(database) { database in
                try await Migrator(database: database, logger: logger).migrate(migrations)
                return try await body(database)
            }
        case .postgres:
            guard let url = DatabaseKind.postgresURL else { throw StorageError.unavailable(reason: "LASTMILE_TEST_POSTGRES_URL is not set") }
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let admin = try PostgresDatabase(url: url, maxConnections: 1, logger: logger)
            _ = try await DatabaseFactory.run(admin) { try await $0.query("CREATE SCHEMA \(schema)", []) }
            let database = try PostgresDatabase(url: url, maxConnections: 6, searchPath: schema, logger: logger)
            let result: Result
            do {
                result = try await DatabaseFactory.run(database) { database in
                    try await Migrator(database: database, logger: logger).migrate(migrations)
                    return try await body(database)
                }
            } catch {
                try? await dropSchema(schema, url: url)
                throw error
            }
            try await dropSchema(schema, url: url)
            return result
        }
    }

    private static func dropSchema(_ schema: String, url: String) async throws {
        let admin = try PostgresDatabase(url: url, maxConnections: 1, logger: logger)
        _ = try await DatabaseFactory.run(admin) { try await $0.query("DROP SCHEMA \(schema) CASCADE", []) }
    }
}
