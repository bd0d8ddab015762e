/// One change to a service's schema. One type per file, named verb + noun (`CreateUsers`).
public protocol Migration: Sendable {
    /// A stable name, recorded once applied; never rename an applied migration.
    var name: String { get }
    /// Applies the change inside the migration transaction.
    func apply(on database: any SQLExecutor) async throws
}

/// A migration written as SQL statements, with a variant per dialect where the engines differ.
public struct SQLMigration: Migration {
    /// The recorded name.
    public let name: String
    private let shared: [String]
    private let sqlite: [String]
    private let postgres: [String]

    /// Statements that run on both engines.
    public init(_ name: String, _ statements: [String]) {
        self.name = name
        self.shared = statements
        self.sqlite = []
        self.postgres = []
    }

    /// Statements per engine, run after the shared ones.
    public init(_ name: String, shared: [String] = [], sqlite: [String], postgres: [String]) {
        self.name = name
        self.shared = shared
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// Runs the statements for the executor's dialect.
    public func apply(on database: any SQLExecutor) async throws {
        let specific = database.dialect == .sqlite ? sqlite : postgres
        for statement in shared + specific {
            try await database.query(statement, [])
        }
    }
}

/// A service's ordered list of migrations.
public struct MigrationSet: Sendable {
    /// The owning service, such as `auth`.
    public let service: String
    /// Migrations in the order they apply.
    public let migrations: [any Migration]

    /// Creates the set.
    public init(service: String, migrations: [any Migration]) {
        self.service = service
        self.migrations = migrations
    }
}
