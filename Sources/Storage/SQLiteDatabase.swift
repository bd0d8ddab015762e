import Foundation
import Logging
import NIOCore
import SQLiteNIO
import Synchronization

/// The embedded default: one SQLite file in WAL mode.
///
/// Writes and transactions go through one writer connection, one at a time (SQLite allows a single writer);
/// plain `SELECT`s outside transactions go to reader connections, which WAL lets run beside the writer.
public final class SQLiteDatabase: Database {
    /// Always ``SQLDialect/sqlite``.
    public let dialect = SQLDialect.sqlite
    /// The file's path.
    public let path: String
    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let writeLock = AsyncLock()
    private let nextReader = Atomic<Int>(0)
    /// The database whose transaction the current task runs in: only to refuse its writes, never to join them.
    @TaskLocal private static var transactionHolder: ObjectIdentifier?

    private init(path: String, writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.path = path
        self.writer = writer
        self.readers = readers
    }

    /// Opens (creating when missing) the database file at `path`, with its directory.
    public static func open(path: String, readers readerCount: Int = 2, logger: Logger = Logger(label: "lastmile.sqlite")) async throws
        -> SQLiteDatabase
    {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        _ = try await run(writer, "PRAGMA journal_mode = WAL", [])
        for pragma in ["PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 15000", "PRAGMA foreign_keys = ON"] {
            _ = try await run(writer, pragma, [])
        }
        var readers: [SQLiteConnection] = []
        for _ in 0..<max(1, readerCount) {
            let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            _ = try await run(reader, "PRAGMA busy_timeout = 15000", [])
            readers.append(reader)
        }
        return SQLiteDatabase(path: path, writer: writer, readers: readers)
    }

    /// Runs a statement of its own: reads on a reader connection, writes on the writer.
    ///
    /// A write sent from inside one of this database's transactions throws ``StorageError/writeInsideTransaction``
    /// (see ``Database``): that transaction holds the only writer, so it would wait for itself forever.
    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        if Self.isRead(sql) {
            let index = nextReader.add(1, ordering: .relaxed).newValue
            return try await Self.run(readers[abs(index) % readers.count], sql, binds)
        }
        try refuseInsideOwnTransaction()
        return try await writeLock.withLock { try await Self.run(writer, sql, binds) }
    }

    /// Runs `body` in an immediate transaction that holds the write lock throughout.
    ///
    /// Throws ``StorageError/writeInsideTransaction`` when called from inside one of this database's transactions.
    public func transaction<Result: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> Result) async throws -> Result {
        try refuseInsideOwnTransaction()
        return try await writeLock.withLock {
            _ = try await Self.run(writer, "BEGIN IMMEDIATE", [])
            do {
                let result = try await Self.$transactionHolder.withValue(ObjectIdentifier(self)) {
                    try await OpenTransaction.marking { try await body(Transaction(connection: writer)) }
                }
                _ = try await Self.run(writer, "COMMIT", [])
                return result
            } catch {
                _ = try? await Self.run(writer, "ROLLBACK", [])
                throw error
            }
        }
    }

    /// The writer is taken by this task's own transaction (or its child tasks'): waiting for it would never end.
    private func refuseInsideOwnTransaction() throws {
        if Self.transactionHolder == ObjectIdentifier(self) { throw StorageError.writeInsideTransaction }
    }

    /// Closes every connection.
    public func close() async throws {
        for reader in readers { try await reader.close() }
        try await writer.close()
    }

    private struct Transaction: SQLExecutor {
        let connection: SQLiteConnection
        var dialect: SQLDialect { .sqlite }

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try await SQLiteDatabase.run(connection, sql, binds)
        }
    }

    private static func isRead(_ sql: String) -> Bool {
        let head = sql.drop(while: { $0.isWhitespace }).prefix(6).uppercased()
        return head == "SELECT"
    }

    static func run(_ connection: SQLiteConnection, _ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let statement = SQLiteDialectTranslation.placeholders(sql)
        let data = binds.map(Self.data)
        do {
            let rows = try await connection.query(statement, data)
            return rows.map { row in
                let columns = row.columns
                return SQLRow(columns: columns.map(\.name), values: columns.map { Self.value($0.data) })
            }
        } catch let error as SQLiteError {
            switch error.reason {
            case .constraintUniqueFailed, .constraintPrimaryKeyFailed:
                throw StorageError.uniqueViolation(constraint: error.message)
            default:
                throw error
            }
        }
    }

    private static func data(_ value: SQLValue) -> SQLiteData {
        switch value {
        case .null: .null
        case .integer(let number): .integer(SQLiteInt64(number))
        case .real(let number): .float(number)
        case .text(let text): .text(text)
        case .bool(let flag): .integer(flag ? 1 : 0)
        case .bytes(let bytes): .blob(ByteBuffer(bytes: bytes))
        }
    }

    private static func value(_ data: SQLiteData) -> SQLValue {
        switch data {
        case .null: .null
        case .integer(let number): .integer(Int64(number))
        case .float(let number): .real(number)
        case .text(let text): .text(text)
        case .blob(var buffer): .bytes(buffer.readBytes(length: buffer.readableBytes) ?? [])
        }
    }
}

/// Rewrites PostgreSQL-style `$N` placeholders as SQLite's `?N`, leaving string literals alone.
enum SQLiteDialectTranslation {
    private static let cache = Mutex<[String: String]>([:])

    static func placeholders(_ sql: String) -> String {
        if let cached = cache.withLock({ $0[sql] }) { return cached }
        var output = ""
        output.reserveCapacity(sql.utf8.count)
        var inString = false
        for character in sql {
            if character == "'" { inString.toggle() }
            output.append(character == "$" && !inString ? "?" : character)
        }
        cache.withLock { cache in
            if cache.count > 4096 { cache.removeAll() }
            cache[sql] = output
        }
        return output
    }
}
