import Foundation
import Logging

/// Opens the database the configuration names: PostgreSQL for a `postgres://` URL, else the SQLite file.
public enum DatabaseFactory {
    /// PostgreSQL when `url` is set, else SQLite at `dataDirectory/lastmile.sqlite`.
    public static func open(url: String?, dataDirectory: String, logger: Logger) async throws -> any Database {
        if let url, !url.isEmpty {
            return try PostgresDatabase(url: url, logger: logger)
        }
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent("lastmile.sqlite").path
        return try await SQLiteDatabase.open(path: path, logger: logger)
    }
}

extension DatabaseFactory {
    /// Opens the database, keeps its pool running (PostgreSQL) while `body` runs, then closes it.
    /// For commands and tests; `serve` runs the pool in its service group instead.
    public static func withDatabase<Result: Sendable>(
        url: String?, dataDirectory: String, logger: Logger, _ body: @escaping @Sendable (any Database) async throws -> Result
    ) async throws -> Result {
        let database = try await open(url: url, dataDirectory: dataDirectory, logger: logger)
        return try await run(database, body)
    }

    /// Keeps `database`'s pool running while `body` runs, then closes it.
    public static func run<Result: Sendable>(_ database: any Database, _ body: @escaping @Sendable (any Database) async throws -> Result) async throws
        -> Result
    {
        guard let postgres = database as? PostgresDatabase else {
            do {
                let result = try await body(database)
                try await database.close()
                return result
            } catch {
                try? await database.close()
                throw error
            }
        }
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await postgres.run()
                return nil
            }
            group.addTask { try await body(postgres) }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let result = next { return result }
            }
            throw CancellationError()
        }
    }
}
