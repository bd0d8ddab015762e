import NIOCore

/// An AMQP field table: short-string keys to typed values, kept in wire order.
public struct AMQPFieldTable: Sendable, Equatable {
    /// The entries in the order they are encoded.
    public var entries: [(key: String, value: AMQPFieldValue)]

    /// Creates a table from entries in wire order.
    public init(_ entries: [(key: String, value: AMQPFieldValue)] = []) {
        self.entries = entries
    }

    /// Whether the table has no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// The value for `key`; setting replaces the first entry with that key, appends a new one, or removes it when nil.
    public subscript(key: String) -> AMQPFieldValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            let index = entries.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?): entries.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// Tables are equal when they hold the same entries in the same order.
    public static func == (lhs: AMQPFieldTable, rhs: AMQPFieldTable) -> Bool {
        lhs.entries.count == rhs.entries.count && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    /// Writes the 32-bit byte length followed by each key (short string) and value.
    public func encode(into buffer: inout ByteBuffer) throws {
        try buffer.writeAMQPLengthPrefixed { buffer in
            for entry in entries {
                try buffer.writeAMQPShortString(entry.key)
                try entry.value.encode(into: &buffer)
            }
        }
    }

    /// Reads a length-prefixed table.
    public static func decode(from buffer: inout ByteBuffer) throws -> AMQPFieldTable {
        var slice = try buffer.readAMQPLengthPrefixedSlice()
        var table = AMQPFieldTable()
        while slice.readableBytes > 0 {
            let key = try slice.readAMQPShortString()
            table.entries.append((key, try AMQPFieldValue.decode(from: &slice)))
        }
        return table
    }
}

extension AMQPFieldTable: ExpressibleByDictionaryLiteral {
    /// Creates a table whose entries keep the literal's order.
    public init(dictionaryLiteral elements: (String, AMQPFieldValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }
}
