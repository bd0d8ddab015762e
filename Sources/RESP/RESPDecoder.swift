import NIOCore

/// A pure RESP2/RESP3 decoder: it reads one complete value from a buffer, or returns `nil` on partial input without consuming.
///
/// Input beyond the configured limits, or bytes that are not RESP, raise a ``RESPError`` with code ``RESPError/Code/protocolError``.
public struct RESPDecoder: Sendable {
    /// Limits that protect the client from hostile or broken servers.
    public struct Limits: Sendable, Hashable {
        /// The deepest nesting of aggregates (arrays, maps, sets, pushes, attributes) accepted.
        public var maxDepth: Int
        /// The largest bulk string, bulk error or verbatim string accepted, in bytes.
        public var maxBulkLength: Int
        /// The most elements (or map pairs) one aggregate may declare.
        public var maxAggregateCount: Int
        /// The longest header or simple line accepted, in bytes, without its CRLF.
        public var maxLineLength: Int

        /// Creates limits; the defaults follow Redis's own (512 MiB bulk strings).
        public init(maxDepth: Int = 32, maxBulkLength: Int = 512 * 1024 * 1024, maxAggregateCount: Int = 1 << 24, maxLineLength: Int = 64 * 1024) {
            self.maxDepth = maxDepth
            self.maxBulkLength = maxBulkLength
            self.maxAggregateCount = maxAggregateCount
            self.maxLineLength = maxLineLength
        }
    }

    /// The limits this decoder enforces.
    public var limits: Limits

    /// Creates a decoder.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Decodes one value from the start of `buffer`.
    ///
    /// Returns `nil`, leaving `buffer` untouched, when the value is not complete yet; on success the value's bytes are consumed.
    public func decode(_ buffer: inout ByteBuffer) throws(RESPError) -> RESPValue? {
        if let value = decodeFlat(&buffer) { return value }
        var cursor = buffer
        guard let value = try parseValue(&cursor, depth: 0) else { return nil }
        buffer.moveReaderIndex(to: cursor.readerIndex)
        return value
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    private func parseValue(_ buffer: inout ByteBuffer, depth: Int) throws(RESPError) -> RESPValue? {
        guard let type = buffer.readInteger(as: UInt8.self) else { return nil }
        switch type {
        case UInt8(ascii: "+"):
            return try readLine(&buffer).map { .simpleString(String(buffer: $0)) }
        case UInt8(ascii: "-"):
            return try readLine(&buffer).map { .error(String(buffer: $0)) }
        case UInt8(ascii: ":"):
            guard let line = try readLine(&buffer) else { return nil }
            return .integer(try Self.integer(line))
        case UInt8(ascii: "$"):
            guard let length = try readLength(&buffer, allowNull: true, limit: limits.maxBulkLength) else { return nil }
            guard length >= 0 else { return .bulkString(nil) }
            return try readBlob(&buffer, length: length).map { .bulkString($0) }
        case UInt8(ascii: "*"):
            guard let count = try readLength(&buffer, allowNull: true, limit: limits.maxAggregateCount) else { return nil }
            guard count >= 0 else { return .array(nil) }
            return try readElements(&buffer, count: count, depth: depth).map { .array($0) }
        case UInt8(ascii: "_"):
            guard let line = try readLine(&buffer) else { return nil }
            guard line.readableBytes == 0 else { throw .protocolError("null with content") }
            return .null
        case UInt8(ascii: "#"):
            guard let line = try readLine(&buffer) else { return nil }
            switch String(buffer: line) {
            case "t": return .boolean(true)
            case "f": return .boolean(false)
            default: throw .protocolError("invalid boolean")
            }
        case UInt8(ascii: ","):
            guard let line = try readLine(&buffer) else { return nil }
            return .double(try Self.double(line))
        case UInt8(ascii: "("):
            guard let line = try readLine(&buffer) else { return nil }
            let text = String(buffer: line)
            let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw .protocolError("invalid big number")
            }
            return .bigNumber(text)
        case UInt8(ascii: "!"):
            guard let length = try readLength(&buffer, allowNull: false, limit: limits.maxBulkLength) else { return nil }
            return try readBlob(&buffer, length: length).map { .bulkError(String(buffer: $0)) }
        case UInt8(ascii: "="):
            guard let length = try readLength(&buffer, allowNull: false, limit: limits.maxBulkLength) else { return nil }
            guard var blob = try readBlob(&buffer, length: length) else { return nil }
            guard length >= 4, blob.getInteger(at: blob.readerIndex + 3, as: UInt8.self) == UInt8(ascii: ":") else {
                throw .protocolError("invalid verbatim string")
            }
            let format = blob.readString(length: 3)!
            blob.moveReaderIndex(forwardBy: 1)
            return .verbatimString(format: format, text: String(buffer: blob))
        case UInt8(ascii: "%"):
            guard let count = try readLength(&buffer, allowNull: false, limit: limits.maxAggregateCount) else { return nil }
            return try readPairs(&buffer, count: count, depth: depth).map { .map($0) }
        case UInt8(ascii: "~"):
            guard let count = try readLength(&buffer, allowNull: false, limit: limits.maxAggregateCount) else { return nil }
            return try readElements(&buffer, count: count, depth: depth).map { .set($0) }
        case UInt8(ascii: ">"):
            guard let count = try readLength(&buffer, allowNull: false, limit: limits.maxAggregateCount) else { return nil }
            return try readElements(&buffer, count: count, depth: depth).map { .push($0) }
        case UInt8(ascii: "|"):
            guard let count = try readLength(&buffer, allowNull: false, limit: limits.maxAggregateCount) else { return nil }
            guard let attributes = try readPairs(&buffer, count: count, depth: depth) else { return nil }
            guard let value = try parseValue(&buffer, depth: depth + 1) else { return nil }
            return .attribute(attributes, value)
        default:
            throw .protocolError("unknown type byte 0x\(String(type, radix: 16))")
        }
    }

    /// Reads up to the next CRLF; `nil` if it has not arrived yet.
    private func readLine(_ buffer: inout ByteBuffer) throws(RESPError) -> ByteBuffer? {
        let view = buffer.readableBytesView
        guard let crIndex = view.firstIndex(of: Self.cr) else {
            if view.count > limits.maxLineLength { throw .protocolError("line longer than \(limits.maxLineLength) bytes") }
            return nil
        }
        let length = crIndex - view.startIndex
        if length > limits.maxLineLength { throw .protocolError("line longer than \(limits.maxLineLength) bytes") }
        guard crIndex + 1 < view.endIndex else { return nil }
        guard view[crIndex + 1] == Self.lf else { throw .protocolError("CR not followed by LF") }
        let line = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }

    /// Reads a length or count header; `-1` (when allowed) stands for null.
    private func readLength(_ buffer: inout ByteBuffer, allowNull: Bool, limit: Int) throws(RESPError) -> Int? {
        guard let line = try readLine(&buffer) else { return nil }
        if line.readableBytes == 1, line.getInteger(at: line.readerIndex, as: UInt8.self) == UInt8(ascii: "?") {
            throw .protocolError("streamed strings and aggregates are not supported")
        }
        let value = try Self.integer(line)
        if value == -1 && allowNull { return -1 }
        guard value >= 0 else { throw .protocolError("negative length \(value)") }
        guard value <= Int64(limit) else { throw .protocolError("length \(value) exceeds the limit of \(limit)") }
        return Int(value)
    }

    private func readBlob(_ buffer: inout ByteBuffer, length: Int) throws(RESPError) -> ByteBuffer? {
        guard buffer.readableBytes >= length + 2 else { return nil }
        let blob = buffer.readSlice(length: length)!
        guard buffer.readInteger(as: UInt8.self) == Self.cr, buffer.readInteger(as: UInt8.self) == Self.lf else {
            throw .protocolError("bulk data not terminated by CRLF")
        }
        return blob
    }

    private func readElements(_ buffer: inout ByteBuffer, count: Int, depth: Int) throws(RESPError) -> [RESPValue]? {
        guard depth < limits.maxDepth else { throw .protocolError("nesting deeper than \(limits.maxDepth)") }
        var values: [RESPValue] = []
        // Never trust the declared count for allocation: every element takes at least three bytes.
        values.reserveCapacity(Swift.min(count, buffer.readableBytes / 3))
        for _ in 0..<count {
            guard let value = try parseValue(&buffer, depth: depth + 1) else { return nil }
            values.append(value)
        }
        return values
    }

    private func readPairs(_ buffer: inout ByteBuffer, count: Int, depth: Int) throws(RESPError) -> [RESPValue: RESPValue]? {
        guard depth < limits.maxDepth else { throw .protocolError("nesting deeper than \(limits.maxDepth)") }
        var pairs: [RESPValue: RESPValue] = [:]
        pairs.reserveCapacity(Swift.min(count, buffer.readableBytes / 6))
        for _ in 0..<count {
            guard let key = try parseValue(&buffer, depth: depth + 1) else { return nil }
            guard let value = try parseValue(&buffer, depth: depth + 1) else { return nil }
            pairs[key] = value
        }
        return pairs
    }

    private static func integer(_ line: ByteBuffer) throws(RESPError) -> Int64 {
        var magnitude: Int64 = 0
        var negative = false
        var sawDigit = false
        for (offset, byte) in line.readableBytesView.enumerated() {
            if offset == 0 && (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")) {
                negative = byte == UInt8(ascii: "-")
                continue
            }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { throw .protocolError("invalid integer") }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1 && !overflow2 else {
                // Int64.min has no positive counterpart; accept exactly it.
                if negative && String(buffer: line) == String(Int64.min) { return .min }
                throw .protocolError("integer out of range")
            }
            magnitude = sum
            sawDigit = true
        }
        guard sawDigit else { throw .protocolError("invalid integer") }
        return negative ? -magnitude : magnitude
    }

    private static func double(_ line: ByteBuffer) throws(RESPError) -> Double {
        let text = String(buffer: line)
        switch text {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan": return .nan
        default:
            let allowed = text.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
                    || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            }
            guard allowed, let value = Double(text) else { throw .protocolError("invalid double") }
            return value
        }
    }
}
