import PostgresNIO

/// A ``PreparedSQL`` as postgres-nio's prepared statement, whose per-connection cache keys on the statement's name.
///
/// postgres-nio takes a prepared statement's name and text from its type; ours come from the task that runs it,
/// which is the task postgres-nio reads them in (before it hands the statement to the connection).
struct NamedStatement: PostgresPreparedStatement {
    @TaskLocal static var current: PreparedSQL?

    static var name: String { current?.name ?? "lastmile_unnamed" }
    static var sql: String { current?.sql ?? "" }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
