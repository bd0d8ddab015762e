import NIOCore

/// Writes RESP headers and bulk strings straight into memory reserved in a `ByteBuffer`, with no per-piece capacity
/// check: the caller reserves the exact size first (``headerSize(_:)`` and ``bulkSize(_:)``), then writes.
struct RESPWireWriter {
    private let base: UnsafeMutableRawBufferPointer
    /// Bytes written so far.
    private(set) var offset = 0

    private init(_ base: UnsafeMutableRawBufferPointer) { self.base = base }

    /// Reserves `size` bytes at the end of `buffer` and lets `body` fill exactly them.
    static func write(_ size: Int, into buffer: inout ByteBuffer, _ body: (inout RESPWireWriter) -> Void) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { bytes in
            var writer = RESPWireWriter(bytes)
            body(&writer)
            assert(writer.offset == size, "the size reserved for a command must match what is written")
            return writer.offset
        }
    }

    /// The number of decimal digits of a non-negative `value`.
    static func digits(_ value: Int) -> Int {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        return digits
    }

    /// The size of a header such as `*3\r\n` or `$5\r\n`.
    static func headerSize(_ count: Int) -> Int { digits(count) + 3 }

    /// The size of a bulk string of `length` bytes with its header and CRLF.
    static func bulkSize(_ length: Int) -> Int { headerSize(length) + length + 2 }

    /// The size of a command name as a bulk string.
    static func bulkSize(_ name: StaticString) -> Int { name.withUTF8Buffer { bulkSize($0.count) } }

    /// Writes `marker`, `count` in decimal and CRLF.
    mutating func header(_ marker: UInt8, _ count: Int) {
        base[offset] = marker
        let digits = Self.digits(count)
        var value = count
        for position in stride(from: offset + digits, to: offset, by: -1) {
            base[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
            value /= 10
        }
        base[offset + digits + 1] = UInt8(ascii: "\r")
        base[offset + digits + 2] = UInt8(ascii: "\n")
        offset += digits + 3
    }

    /// Writes `text` as a bulk string: `$len\r\n`, its UTF-8 bytes and CRLF.
    mutating func bulk(_ text: String) {
        let length = text.utf8.count
        header(UInt8(ascii: "$"), length)
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { source in
            UnsafeMutableRawBufferPointer(rebasing: base[offset..<offset + length]).copyMemory(from: UnsafeRawBufferPointer(source))
        }
        if copied == nil {
            for (index, byte) in text.utf8.enumerated() { base[offset + index] = byte }
        }
        offset += length
        crlf()
    }

    /// Writes a command name as a bulk string.
    mutating func bulk(_ name: StaticString) {
        name.withUTF8Buffer { source in
            header(UInt8(ascii: "$"), source.count)
            UnsafeMutableRawBufferPointer(rebasing: base[offset..<offset + source.count]).copyMemory(from: UnsafeRawBufferPointer(source))
            offset += source.count
        }
        crlf()
    }

    private mutating func crlf() {
        base[offset] = UInt8(ascii: "\r")
        base[offset + 1] = UInt8(ascii: "\n")
        offset += 2
    }
}
