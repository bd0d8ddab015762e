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
///
/// ## One rule for transactions
///
/// Code inside a transaction uses the executor the transaction gave it, for every statement that belongs to it;
/// functions that work inside a caller's transaction take that executor (`in tx: any SQLExecutor`), never the
/// `Database`. The `Database` itself always means a statement or a transaction of its own, wherever it is called
/// from: nothing joins a transaction by being called inside it.
///
/// So calling the `Database` from inside one of its transactions is a deliberate step outside it, and the engines
/// differ in what that can do:
/// - PostgreSQL runs it on another pooled connection, committed on its own (the monthly run reserves its invoice
///   numbers so, for a counter row it must not hold for the batch). It waits for any row the enclosing transaction
///   locked, and the transaction holds a second connection meanwhile: keep it to short statements on rows the
///   transaction does not touch, never on a request's path.
/// - SQLite has one writer, which the transaction holds: a write or a transaction sent to the database from inside
///   it (or from a child task of its body) throws ``StorageError/writeInsideTransaction`` instead of waiting for
///   itself forever. A read runs on a reader connection and sees the last commit, not the transaction's writes.
///   (A detached task escapes the check, and then waits until the transaction ends.)
public protocol Database: SQLExecutor {
    /// Runs `body` in a transaction of its own: committed when it returns, rolled back when it throws. Inside
    /// `body`, run every statement of the transaction on the executor it is given.
    func transaction<Result: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> Result) async throws -> Result

    /// Releases connections; the database is unusable afterwards.
    func close() async throws
}
