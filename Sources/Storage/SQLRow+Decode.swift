import Foundation

extension SQLRow {
    /// Decodes the row into `Row`, a flat `Decodable` struct that mirrors the statement's columns: each property reads
    /// the column of its name in snake case (`userID` and `userId` read `user_id`, `createdAt` reads `created_at`),
    /// after `prefix` (`k_` for the columns of a joined table selected as `k.id AS k_id`, say).
    ///
    /// Values convert as the typed getters do: times from integer microseconds, booleans from SQLite's integers,
    /// `Data` from bytes; any other type decodes from the column's one value with its own `Decodable` (a `String`
    /// raw-value enum from text, say). An optional property is `nil` for `NULL`. A column that is missing, or holds
    /// what its property cannot take, throws ``StorageError/decoding(column:expected:)``.
    public func decode<Row: Decodable>(_ type: Row.Type, prefix: String = "") throws -> Row {
        do {
            return try Row(from: SQLRowDecoder(row: self, prefix: prefix))
        } catch let error as DecodingError {
            // Thrown by a property type's own `init(from:)`, such as an enum's for a value it does not know.
            let context: DecodingError.Context
            switch error {
            case .typeMismatch(_, let found), .valueNotFound(_, let found), .keyNotFound(_, let found), .dataCorrupted(let found):
                context = found
            @unknown default: throw error
            }
            let column = context.codingPath.first.map { prefix + ColumnName.snakeCase($0.stringValue) } ?? "?"
            throw StorageError.decoding(column: column, expected: "\(Row.self): \(context.debugDescription)")
        }
    }
}

/// How a property's coding key names its column: `userID` → `user_id`, `createdAt` → `created_at`, `URLPath` →
/// `url_path` (a capital starts a word, and a run of capitals is one word).
struct ColumnName: IteratorProtocol {
    private let key: String.UTF8View
    private var index: String.UTF8View.Index
    private var underscoreGiven = false

    /// The bytes of `key` in snake case.
    init(_ key: String) {
        self.key = key.utf8
        self.index = self.key.startIndex
    }

    static func snakeCase(_ key: String) -> String {
        var bytes: [UInt8] = []
        var name = ColumnName(key)
        while let byte = name.next() { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `column` is `prefix` followed by `key` in snake case, compared byte by byte without building either.
    static func matches(_ column: String, prefix: String, key: String) -> Bool {
        var columnBytes = column.utf8.makeIterator()
        for byte in prefix.utf8 where columnBytes.next() != byte { return false }
        var name = ColumnName(key)
        while let byte = name.next() {
            guard columnBytes.next() == byte else { return false }
        }
        return columnBytes.next() == nil
    }

    mutating func next() -> UInt8? {
        guard index < key.endIndex else { return nil }
        let byte = key[index]
        guard Self.isUpper(byte) else {
            key.formIndex(after: &index)
            return byte
        }
        if !underscoreGiven && startsWord() {
            underscoreGiven = true
            return UInt8(ascii: "_")
        }
        underscoreGiven = false
        key.formIndex(after: &index)
        return byte + 32
    }

    /// Whether the capital at `index` starts a word: after a lower-case letter or a digit, or as the last capital of
    /// a run that a lower-case letter follows.
    private func startsWord() -> Bool {
        guard index > key.startIndex else { return false }
        let previous = key[key.index(before: index)]
        guard Self.isUpper(previous) else { return previous != UInt8(ascii: "_") }
        let after = key.index(after: index)
        return after < key.endIndex && Self.isLower(key[after])
    }

    private static func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    private static func isLower(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
}

/// The `Decoder` behind ``SQLRow/decode(_:prefix:)``: a keyed container whose keys are the row's columns.
private struct SQLRowDecoder: Decoder {
    let row: SQLRow
    let prefix: String
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Columns<Key>(row: row, prefix: prefix))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw notFlat([Any].self) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { throw notFlat(Any.self) }

    private func notFlat(_ type: Any.Type) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "a row decodes into a struct of its columns"))
    }
}

/// The row's columns, found by their properties' keys.
private struct Columns<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: SQLRow
    let prefix: String
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    /// Always: so that an optional property without its column throws instead of reading as `nil`.
    func contains(_ key: Key) -> Bool { true }

    private func cell(_ key: Key) throws -> SQLCell {
        let name = key.stringValue
        guard let index = row.columns.firstIndex(where: { ColumnName.matches($0, prefix: prefix, key: name) }) else {
            throw StorageError.decoding(column: prefix + ColumnName.snakeCase(name), expected: "a column of that name")
        }
        return SQLCell(value: row.values[index], column: row.columns[index])
    }

    func decodeNil(forKey key: Key) throws -> Bool { try cell(key).value == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try cell(key).bool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try cell(key).string() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try cell(key).double() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try cell(key).double()) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try cell(key).integer(Int.self) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try cell(key).integer(Int8.self) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try cell(key).integer(Int16.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try cell(key).integer(Int32.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try cell(key).int64() }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try cell(key).integer(UInt.self) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try cell(key).integer(UInt8.self) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try cell(key).integer(UInt16.self) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try cell(key).integer(UInt32.self) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try cell(key).integer(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try Cell(cell: try cell(key), key: key).decode(T.self) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "a column holds one value"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "a column holds one value"))
    }

    func superDecoder() throws -> any Decoder { throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "no super")) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [key], debugDescription: "no super"))
    }
}

/// One column's value, for a property whose type decodes itself from a single value.
private struct Cell: Decoder, SingleValueDecodingContainer {
    let cell: SQLCell
    let key: any CodingKey
    var codingPath: [any CodingKey] { [key] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "a column holds one value"))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a column holds one value"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { cell.value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try cell.bool() }
    func decode(_ type: String.Type) throws -> String { try cell.string() }
    func decode(_ type: Double.Type) throws -> Double { try cell.double() }
    func decode(_ type: Float.Type) throws -> Float { Float(try cell.double()) }
    func decode(_ type: Int.Type) throws -> Int { try cell.integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try cell.integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try cell.integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try cell.integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try cell.int64() }
    func decode(_ type: UInt.Type) throws -> UInt { try cell.integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try cell.integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try cell.integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try cell.integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try cell.integer(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == Date.self, let date = try cell.date() as? T { return date }
        if T.self == Data.self, let data = try cell.bytes() as? T { return data }
        return try T(from: self)
    }
}
