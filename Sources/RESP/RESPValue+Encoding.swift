import NIOCore

extension RESPValue {
    /// Writes the value in its RESP wire form (RESP3 types use RESP3 syntax).
    ///
    /// Clients send commands with ``RESPCommandEncoder``; this is for replies, for example in test servers.
    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .simpleString(let text):
            Self.writeLine(prefix: "+", text, into: &buffer)
        case .error(let text):
            Self.writeLine(prefix: "-", text, into: &buffer)
        case .integer(let value):
            Self.writeLine(prefix: ":", String(value), into: &buffer)
        case .bulkString(nil):
            buffer.writeStaticString("$-1\r\n")
        case .bulkString(let bytes?):
            Self.writeLine(prefix: "$", String(bytes.readableBytes), into: &buffer)
            buffer.writeImmutableBuffer(bytes)
            buffer.writeStaticString("\r\n")
        case .array(nil):
            buffer.writeStaticString("*-1\r\n")
        case .array(let values?):
            Self.writeAggregate(prefix: "*", values, into: &buffer)
        case .null:
            buffer.writeStaticString("_\r\n")
        case .boolean(let value):
            buffer.writeStaticString(value ? "#t\r\n" : "#f\r\n")
        case .double(let value):
            let text =
                if value.isNaN { "nan" } else if value == .infinity { "inf" } else if value == -.infinity { "-inf" } else { "\(value)" }
            Self.writeLine(prefix: ",", text, into: &buffer)
        case .bigNumber(let text):
            Self.writeLine(prefix: "(", text, into: &buffer)
        case .bulkError(let text):
            Self.writeLine(prefix: "!", String(text.utf8.count), into: &buffer)
            buffer.writeString(text)
            buffer.writeStaticString("\r\n")
        case .verbatimString(let format, let text):
            Self.writeLine(prefix: "=", String(format.utf8.count + 1 + text.utf8.count), into: &buffer)
            buffer.writeString(format)
            buffer.writeStaticString(":")
            buffer.writeString(text)
            buffer.writeStaticString("\r\n")
        case .map(let pairs):
            Self.writePairs(prefix: "%", pairs, into: &buffer)
        case .set(let values):
            Self.writeAggregate(prefix: "~", values, into: &buffer)
        case .attribute(let pairs, let value):
            Self.writePairs(prefix: "|", pairs, into: &buffer)
            value.encode(into: &buffer)
        case .push(let values):
            Self.writeAggregate(prefix: ">", values, into: &buffer)
        }
    }

    /// The value's RESP wire form in a new buffer.
    public var encoded: ByteBuffer {
        var buffer = ByteBuffer()
        encode(into: &buffer)
        return buffer
    }

    private static func writeLine(prefix: StaticString, _ text: String, into buffer: inout ByteBuffer) {
        buffer.writeStaticString(prefix)
        buffer.writeString(text)
        buffer.writeStaticString("\r\n")
    }

    private static func writeAggregate(prefix: StaticString, _ values: [RESPValue], into buffer: inout ByteBuffer) {
        writeLine(prefix: prefix, String(values.count), into: &buffer)
        for value in values { value.encode(into: &buffer) }
    }

    private static func writePairs(prefix: StaticString, _ pairs: [RESPValue: RESPValue], into buffer: inout ByteBuffer) {
        writeLine(prefix: prefix, String(pairs.count), into: &buffer)
        for (key, value) in pairs {
            key.encode(into: &buffer)
            value.encode(into: &buffer)
        }
    }
}
