import Foundation
import Kernel

/// A value bound into, or read out of, a SQL statement, the same on SQLite and PostgreSQL.
///
/// Times travel as integer microseconds since 1970 so one schema and one query work on both engines.
public enum SQLValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A 64-bit integer (`BIGINT`).
    case integer(Int64)
    /// A double (`DOUBLE PRECISION`); never for money.
    case real(Double)
    /// Text.
    case text(String)
    /// A boolean (`BOOLEAN`; an integer on SQLite).
    case bool(Bool)
    /// Raw bytes (`BYTEA` / `BLOB`).
    case bytes([UInt8])
}

/// A Swift value that can be bound as a statement parameter.
public protocol SQLBindable: Sendable {
    /// The value to bind.
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLBindable {
    /// Itself.
    public var sqlValue: SQLValue { self }
}

extension Int: SQLBindable {
    /// As a 64-bit integer.
    public var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Int64: SQLBindable {
    /// As a 64-bit integer.
    public var sqlValue: SQLValue { .integer(self) }
}

extension String: SQLBindable {
    /// As text.
    public var sqlValue: SQLValue { .text(self) }
}

extension Bool: SQLBindable {
    /// As a boolean.
    public var sqlValue: SQLValue { .bool(self) }
}

extension Double: SQLBindable {
    /// As a double.
    public var sqlValue: SQLValue { .real(self) }
}

extension Date: SQLBindable {
    /// As integer microseconds since 1970.
    public var sqlValue: SQLValue { .integer(microsecondsSince1970) }

    /// Microseconds since 1970, the form times are stored in.
    public var microsecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }

    /// The instant `micros` microseconds after 1970.
    public init(microsecondsSince1970 micros: Int64) {
        self.init(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}

extension Identifier: SQLBindable {
    /// As text.
    public var sqlValue: SQLValue { .text(rawValue) }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    /// The wrapped value, or `NULL`.
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}
