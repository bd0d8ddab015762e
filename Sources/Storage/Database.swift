/// Which SQL engine a database speaks, for the few statements that differ.
public enum SQLDialect: String, Sendable {
    /// SQLite: the embedded default.
    case sqlite
    /// PostgreSQL: production.
    case postgres
}

/// Something that runs statements: a database, or a connection inside a transaction.
///
/// Statements use PostgreSQL's numbered placeholders (`$1`, `$2`…) on both engines.
public protocol SQLExecutor: Sendable {
    /// The engine's dialect.
    var dialect: SQLDialect { get }

    /// Runs a statement and returns its rows (none for statements without `RETURNING`).
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]

    /// Runs a statement kept prepared on PostgreSQL (see ``PreparedSQL``) and returns its rows.
    @discardableResult
    func query(_ statement: PreparedSQL, _ binds: [SQLValue]) async throws -> [SQLRow]
}

extension SQLExecutor {
    /// Runs the statement's text as an ordinary statement: engines without prepared statements use this.
    @discardableResult
    public func query(_ statement: PreparedSQL, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await query(statement.sql, binds)
    }

    /// Runs a statement kept prepared with bindable Swift values.
    @discardableResult
    public func query(_ statement: PreparedSQL, _ binds: any SQLBindable...) async throws -> [SQLRow] {
        try await query(statement, binds.map(\.sqlValue))
    }

    /// Runs a statement with bindable Swift values.
    @discardableResult
    public func query(_ sql: String, _ binds: any SQLBindable...) async throws -> [SQLRow] {
        try await query(sql, binds.map(\.sqlValue))
    }

    /// Runs a statement and returns its first row, if any.
    public func first(_ sql: String, _ binds: any SQLBindable...) async throws -> SQLRow? {
        try await query(sql, binds.map(\.sqlValue)).first
    }
}

/// A database: statements, transactions, and closing.
public protocol Database: SQLExecutor {
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<Result: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> Result) async throws -> Result

    /// Releases connections; the database is unusable afterwards.
    func close() async throws
}
