import NIOCore

extension RESPDecoder {
    /// What the quick scan of a flat reply found.
    enum FlatReply {
        /// `+text`, `-text`, `$len text` or `$-1`: the payload's offset and length from the reader index, and the
        /// reply's full size.
        case simpleString(start: Int, length: Int, size: Int)
        case error(start: Int, length: Int, size: Int)
        case bulkString(start: Int, length: Int, size: Int)
        case nullBulkString(size: Int)
        /// `:n`: the value and the reply's full size.
        case integer(Int64, size: Int)
        /// Anything else — another type, input not complete yet, or anything unusual — goes to the full parser,
        /// which also produces the right error for bad input.
        case other
    }

    /// Decodes the replies nearly every command gets (status, error, integer, bulk string) in one pass over the
    /// bytes, with no intermediate buffers; returns `nil` for anything else so the full parser handles it.
    func decodeFlat(_ buffer: inout ByteBuffer) -> RESPValue? {
        let reply = buffer.withUnsafeReadableBytes { Self.scanFlat($0, maxLineLength: limits.maxLineLength, maxBulkLength: limits.maxBulkLength) }
        let value: RESPValue
        let size: Int
        switch reply {
        case .simpleString(let start, let length, let total):
            value = .simpleString(buffer.getString(at: buffer.readerIndex + start, length: length)!)
            size = total
        case .error(let start, let length, let total):
            value = .error(buffer.getString(at: buffer.readerIndex + start, length: length)!)
            size = total
        case .bulkString(let start, let length, let total):
            value = .bulkString(buffer.getSlice(at: buffer.readerIndex + start, length: length)!)
            size = total
        case .nullBulkString(let total):
            value = .bulkString(nil)
            size = total
        case .integer(let integer, let total):
            value = .integer(integer)
            size = total
        case .other:
            return nil
        }
        buffer.moveReaderIndex(forwardBy: size)
        return value
    }

    /// Finds the end of the first line (the offset of its CR, followed by LF), or `nil`.
    private static func lineEnd(_ bytes: UnsafeRawBufferPointer, maxLineLength: Int) -> Int? {
        let limit = Swift.min(bytes.count - 1, maxLineLength + 1)
        var index = 1
        while index < limit {
            if bytes[index] == UInt8(ascii: "\r") { return bytes[index + 1] == UInt8(ascii: "\n") ? index : nil }
            index += 1
        }
        return nil
    }

    /// Parses a plain decimal integer of up to 18 digits, optionally negative; `nil` for anything else.
    private static func smallInteger(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int64? {
        var index = start
        let negative = index < end && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < end, end - index <= 18 else { return nil }
        var value: Int64 = 0
        while index < end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
            index += 1
        }
        return negative ? -value : value
    }

    static func scanFlat(_ bytes: UnsafeRawBufferPointer, maxLineLength: Int, maxBulkLength: Int) -> FlatReply {
        guard bytes.count >= 3, let end = lineEnd(bytes, maxLineLength: maxLineLength) else { return .other }
        switch bytes[0] {
        case UInt8(ascii: "+"):
            return .simpleString(start: 1, length: end - 1, size: end + 2)
        case UInt8(ascii: "-"):
            return .error(start: 1, length: end - 1, size: end + 2)
        case UInt8(ascii: ":"):
            guard let value = smallInteger(bytes, from: 1, to: end) else { return .other }
            return .integer(value, size: end + 2)
        case UInt8(ascii: "$"):
            guard let length = smallInteger(bytes, from: 1, to: end) else { return .other }
            if length == -1 { return .nullBulkString(size: end + 2) }
            guard length >= 0, length <= maxBulkLength else { return .other }
            let start = end + 2
            let size = start + Int(length) + 2
            guard size <= bytes.count, bytes[size - 2] == UInt8(ascii: "\r"), bytes[size - 1] == UInt8(ascii: "\n") else { return .other }
            return .bulkString(start: start, length: Int(length), size: size)
        default:
            return .other
        }
    }
}
