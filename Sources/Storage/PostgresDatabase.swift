import ClientSupport
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// PostgreSQL through a `PostgresClient` connection pool.
///
/// The pool only works while ``run()`` runs: list the database in the service group, before its users.
public final class PostgresDatabase: Database, Service {
    /// Always ``SQLDialect/postgres``.
    public let dialect = SQLDialect.postgres
    /// The pool.
    public let client: PostgresClient
    /// The longest a statement or transaction waits for a pooled connection before ``StorageError/unavailable(reason:)``.
    public let acquireTimeout: Duration
    let logger: Logger

    /// Creates the pool from a `postgres://user:password@host:port/database?sslmode=…` URL.
    /// `searchPath` puts every connection in that schema (tests give each run its own); `applicationName` is what
    /// `pg_stat_activity` shows for its connections.
    public init(
        url: String, maxConnections: Int = 20, searchPath: String? = nil, applicationName: String = "lastmile",
        acquireTimeout: Duration = .seconds(5), logger: Logger = Logger(label: "lastmile.postgres")
    ) throws {
        var configuration = try PostgresURL.configuration(url)
        configuration.options.maximumConnections = maxConnections
        configuration.options.minimumConnections = 0
        var parameters = [("application_name", applicationName)]
        if let searchPath { parameters.append(("search_path", searchPath)) }
        configuration.options.additionalStartupParameters = parameters
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.acquireTimeout = acquireTimeout
        self.logger = logger
    }

    /// Runs `body` on a pooled connection, waiting at most ``acquireTimeout`` for one.
    ///
    /// While PostgreSQL is down the pool keeps trying to connect and a lease would wait for ever: a request then gets
    /// its 503 within the timeout instead of hanging, and once the server is back the pool reconnects by itself.
    /// `body` itself is not limited (a monthly run's transaction may take minutes).
    public func withConnection<Result: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let leased = LeaseFlag()
        let timeout = acquireTimeout
        return try await withoutActuallyEscaping(body) { body in
            try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask {
                    try await self.client.withConnection { connection in
                        leased.value.store(true, ordering: .releasing)
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    guard leased.value.load(ordering: .acquiring) else {
                        throw StorageError.unavailable(reason: "no database connection within \(timeout)")
                    }
                    return nil
                }
                while let result = try await group.next() {
                    if let result {
                        group.cancelAll()
                        return result
                    }
                }
                throw CancellationError()
            }
        }
    }

    /// Runs the pool until cancelled.
    public func run() async throws {
        await client.run()
    }

    /// Runs a statement on a pooled connection, committed on its own (also from inside a transaction: see ``Database``).
    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await withConnection { connection in
            try await Self.mapErrors {
                let rows = try await connection.query(Self.query(sql, binds), logger: self.logger)
                return try await Self.collect(rows)
            }
        }
    }

    /// Runs a statement kept prepared on each pooled connection (see ``PreparedSQL``).
    @discardableResult
    public func query(_ statement: PreparedSQL, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await withConnection { connection in
            try await Transaction(connection: connection, logger: self.logger).query(statement, binds)
        }
    }

    /// Runs `body` in a transaction of its own on one pooled connection (also from inside another: see ``Database``).
    public func transaction<Result: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> Result) async throws -> Result {
        try await transaction(onConnectionEventLoop: false, body)
    }

    /// Runs `body` in a transaction on one connection; with `onConnectionEventLoop`, `body` runs on the connection's
    /// event loop (task executor preference), so each statement's answer resumes it without a thread hop.
    ///
    /// Only for short bodies that mostly wait for their statements, such as one request's payment: while `body`
    /// computes, every other channel of that event loop (HTTP connections among them) waits.
    public func transaction<Result: Sendable>(
        onConnectionEventLoop: Bool, _ body: @Sendable (any SQLExecutor) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            guard onConnectionEventLoop else { return try await self.run(body, on: connection) }
            return try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: connection.eventLoop)) {
                try await self.run(body, on: connection)
            }
        }
    }

    private func run<Result: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> Result, on connection: PostgresConnection) async throws
        -> Result
    {
        let transaction = Transaction(connection: connection, logger: logger)
        // Prepared like the statements inside: every transaction sends these two.
        _ = try await transaction.query(Self.beginSQL, [])
        do {
            let result = try await OpenTransaction.marking { try await body(transaction) }
            _ = try await transaction.query(Self.commitSQL, [])
            return result
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    private static let beginSQL = PreparedSQL("BEGIN")
    private static let commitSQL = PreparedSQL("COMMIT")

    /// Nothing to do: the pool closes when ``run()`` is cancelled.
    public func close() async throws {}

    private struct Transaction: SQLExecutor {
        let connection: PostgresConnection
        let logger: Logger
        var dialect: SQLDialect { .postgres }

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try await PostgresDatabase.mapErrors {
                let rows = try await connection.query(PostgresDatabase.query(sql, binds), logger: logger)
                return try await PostgresDatabase.collect(rows)
            }
        }

        func query(_ statement: PreparedSQL, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try await PostgresDatabase.mapErrors {
                try await NamedStatement.$current.withValue(statement) {
                    var result: [SQLRow] = []
                    let prepared = NamedStatement(bindings: PostgresDatabase.bindings(binds))
                    for try await row in try await connection.execute(prepared, logger: logger) {
                        result.append(try PostgresDatabase.row(row))
                    }
                    return result
                }
            }
        }
    }

    static func query(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
        PostgresQuery(unsafeSQL: sql, binds: bindings(binds))
    }

    static func bindings(_ binds: [SQLValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            switch bind {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .real(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            case .bool(let flag): bindings.append(flag)
            case .bytes(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        return bindings
    }

    static func collect(_ rows: PostgresRowSequence) async throws -> [SQLRow] {
        var result: [SQLRow] = []
        for try await row in rows { result.append(try self.row(row)) }
        return result
    }

    static func row(_ row: PostgresRow) throws -> SQLRow {
        var columns: [String] = []
        var values: [SQLValue] = []
        for cell in row {
            columns.append(cell.columnName)
            values.append(try value(cell))
        }
        return SQLRow(columns: columns, values: values)
    }

    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .bool: return .bool(try cell.decode(Bool.self))
        case .int2, .int4, .int8, .oid: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bytea:
            var buffer = try cell.decode(ByteBuffer.self)
            return .bytes(buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .uuid: return .text(try cell.decode(UUID.self).uuidString.lowercased())
        default: return .text(try cell.decode(String.self))
        }
    }

    static func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            switch error.serverInfo?[.sqlState] {
            case PostgresError.Code.uniqueViolation.raw:
                throw StorageError.uniqueViolation(constraint: error.serverInfo?[.constraintName])
            case PostgresError.Code.serializationFailure.raw, PostgresError.Code.deadlockDetected.raw:
                throw StorageError.serializationFailure
            default: break
            }
            throw error
        }
    }
}

/// Parses `postgres://` URLs into a client configuration.
enum PostgresURL {
    static func configuration(_ text: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme)
        else { throw StorageError.invalidURL(reason: "expected postgres://user:password@host:port/database") }
        guard let host = components.host, !host.isEmpty else { throw StorageError.invalidURL(reason: "the URL names no host") }
        guard let user = components.user, !user.isEmpty else { throw StorageError.invalidURL(reason: "the URL names no user") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        let sslMode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw StorageError.invalidURL(reason: "unknown sslmode \(sslMode)")
        }
        return PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? user : database, tls: tls)
    }
}

/// Whether a lease came through, shared by the lease's task and its timer.
private final class LeaseFlag: Sendable {
    let value = Atomic<Bool>(false)
}
