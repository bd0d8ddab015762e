import Foundation

/// One result row, with typed accessors that throw ``StorageError/decoding(column:expected:)`` on a mismatch.
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

    private func value(_ column: String) throws -> SQLValue {
        guard let value = self[column] else { throw StorageError.decoding(column: column, expected: "a column of that name") }
        return value
    }

    /// A non-null text column.
    public func string(_ column: String) throws -> String {
        guard let value = try optionalString(column) else { throw StorageError.decoding(column: column, expected: "text") }
        return value
    }

    /// A nullable text column.
    public func optionalString(_ column: String) throws -> String? {
        switch try value(column) {
        case .null: return nil
        case .text(let text): return text
        case .integer(let number): return String(number)
        default: throw StorageError.decoding(column: column, expected: "text")
        }
    }

    /// A non-null integer column.
    public func int64(_ column: String) throws -> Int64 {
        guard let value = try optionalInt64(column) else { throw StorageError.decoding(column: column, expected: "integer") }
        return value
    }

    /// A nullable integer column.
    public func optionalInt64(_ column: String) throws -> Int64? {
        switch try value(column) {
        case .null: return nil
        case .integer(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .text(let text):
            guard let number = Int64(text) else { throw StorageError.decoding(column: column, expected: "integer") }
            return number
        default: throw StorageError.decoding(column: column, expected: "integer")
        }
    }

    /// A non-null integer column as `Int`.
    public func int(_ column: String) throws -> Int { Int(try int64(column)) }

    /// A non-null boolean column (an integer on SQLite).
    public func bool(_ column: String) throws -> Bool {
        switch try value(column) {
        case .bool(let flag): return flag
        case .integer(let number): return number != 0
        default: throw StorageError.decoding(column: column, expected: "boolean")
        }
    }

    /// A non-null time column.
    public func date(_ column: String) throws -> Date { Date(microsecondsSince1970: try int64(column)) }

    /// A nullable time column.
    public func optionalDate(_ column: String) throws -> Date? {
        try optionalInt64(column).map { Date(microsecondsSince1970: $0) }
    }
}
