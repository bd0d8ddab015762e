import Foundation

/// One result row.
///
/// Read a row that becomes a record with ``decode(_:prefix:)``, into a `Decodable` struct that mirrors the
/// statement's columns; read a lone value (a count, a returned id) with the typed getters below. Both throw
/// ``StorageError/decoding(column:expected:)`` on a mismatch, naming the column.
public struct SQLRow: Sendable {
    /// Column names in result order.
    public let columns: [String]
    /// Values in result order.
    public let values: [SQLValue]

    /// Creates a row.
    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The raw value of a column, `nil` when there is no such column.
    public subscript(_ column: String) -> SQLValue? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return values[index]
    }

    private func cell(_ column: String) throws -> SQLCell {
        guard let value = self[column] else { throw StorageError.decoding(column: column, expected: "a column of that name") }
        return SQLCell(value: value, column: column)
    }

    /// A non-null text column.
    public func string(_ column: String) throws -> String { try cell(column).string() }

    /// A nullable text column.
    public func optionalString(_ column: String) throws -> String? { try cell(column).optionalString() }

    /// A non-null integer column.
    public func int64(_ column: String) throws -> Int64 { try cell(column).int64() }

    /// A nullable integer column.
    public func optionalInt64(_ column: String) throws -> Int64? { try cell(column).optionalInt64() }

    /// A non-null integer column as `Int`.
    public func int(_ column: String) throws -> Int { Int(try int64(column)) }

    /// A non-null boolean column (an integer on SQLite).
    public func bool(_ column: String) throws -> Bool { try cell(column).bool() }

    /// A non-null time column.
    public func date(_ column: String) throws -> Date { try cell(column).date() }

    /// A nullable time column.
    public func optionalDate(_ column: String) throws -> Date? {
        try optionalInt64(column).map { Date(microsecondsSince1970: $0) }
    }
}

/// One value of a row with its column's name: the conversions the getters and ``SQLRow/decode(_:prefix:)`` share.
struct SQLCell {
    let value: SQLValue
    let column: String

    func mismatch(_ expected: String) -> StorageError { StorageError.decoding(column: column, expected: expected) }

    func string() throws -> String {
        guard let text = try optionalString() else { throw mismatch("text") }
        return text
    }

    func optionalString() throws -> String? {
        switch value {
        case .null: return nil
        case .text(let text): return text
        case .integer(let number): return String(number)
        default: throw mismatch("text")
        }
    }

    func int64() throws -> Int64 {
        guard let number = try optionalInt64() else { throw mismatch("integer") }
        return number
    }

    func optionalInt64() throws -> Int64? {
        switch value {
        case .null: return nil
        case .integer(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .text(let text):
            guard let number = Int64(text) else { throw mismatch("integer") }
            return number
        default: throw mismatch("integer")
        }
    }

    func integer<Integer: FixedWidthInteger>(_ type: Integer.Type) throws -> Integer {
        guard let number = Integer(exactly: try int64()) else { throw mismatch("an integer that fits \(Integer.self)") }
        return number
    }

    func bool() throws -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .integer(let number): return number != 0
        default: throw mismatch("boolean")
        }
    }

    func double() throws -> Double {
        switch value {
        case .real(let number): return number
        case .integer(let number): return Double(number)
        default: throw mismatch("number")
        }
    }

    func date() throws -> Date { Date(microsecondsSince1970: try int64()) }

    func bytes() throws -> Data {
        guard case .bytes(let bytes) = value else { throw mismatch("bytes") }
        return Data(bytes)
    }
}
