import Foundation
import Logging

/// Applies migration sets, recording each in `schema_migrations`.
///
/// Safe from several processes at once: on PostgreSQL a transaction-scoped advisory lock serialises runners,
/// on SQLite the immediate transaction's write lock does; the second runner then finds the work done.
public struct Migrator: Sendable {
    private let database: any Database
    private let logger: Logger

    /// Creates a migrator.
    public init(database: any Database, logger: Logger = Logger(label: "lastmile.migrate")) {
        self.database = database
        self.logger = logger
    }

    /// Applies every pending migration of every set, in order; returns the names applied now.
    @discardableResult
    public func migrate(_ sets: [MigrationSet]) async throws -> [String] {
        try await database.transaction { tx in
            if tx.dialect == .postgres {
                try await tx.query("SELECT pg_advisory_xact_lock(7202611)", [])
            }
            try await tx.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    service TEXT NOT NULL,
                    name TEXT NOT NULL,
                    applied_at BIGINT NOT NULL,
                    PRIMARY KEY (service, name)
                )
                """, [])
            var applied: [String] = []
            for set in sets {
                let done = Set(
                    try await tx.query("SELECT name FROM schema_migrations WHERE service = $1", set.service).map { try $0.string("name") })
                for migration in set.migrations where !done.contains(migration.name) {
                    try await migration.apply(on: tx)
                    try await tx.query(
                        "INSERT INTO schema_migrations (service, name, applied_at) VALUES ($1, $2, $3)", set.service, migration.name, Date())
                    applied.append("\(set.service)/\(migration.name)")
                }
            }
            return applied
        }
    }

    /// Names of applied migrations as `service/name`, in application order.
    public func applied() async throws -> [String] {
        try await database.query("SELECT service, name FROM schema_migrations ORDER BY applied_at, service, name", [])
            .map { "\(try $0.string("service"))/\(try $0.string("name"))" }
    }
}
