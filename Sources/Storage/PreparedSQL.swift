/// A statement run often enough that PostgreSQL should parse and plan it once per connection, not once per call.
///
/// On PostgreSQL, ``SQLExecutor/query(_:_:)-(PreparedSQL,_)`` prepares it under ``name`` on first use on each pooled
/// connection and then only binds and executes it; SQLite runs the text as usual. Declare one as a `static let`
/// next to the code that runs it. Its binds must have the same types on every call, and a bind that may be `NULL`
/// needs a `CAST` in the text, because the parameter types are fixed when the statement is prepared.
public struct PreparedSQL: Sendable, Hashable {
    /// The statement, with `$1`, `$2`… placeholders.
    public let sql: String
    /// The name it is prepared under: derived from the text, so two statements never share one.
    public let name: String

    /// Declares a statement to keep prepared.
    public init(_ sql: String) {
        self.sql = sql
        // FNV-1a over the text: stable across processes, so the name is the same on every connection.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        self.name = "lastmile_" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
