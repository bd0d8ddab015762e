import NIOCore

/// Encodes commands the way Redis expects them from clients: an array of bulk strings.
public enum RESPCommandEncoder {
    /// Appends `command` (name and arguments) to `buffer` as `*N\r\n$len\r\narg\r\n…`.
    public static func encode(_ command: [String], into buffer: inout ByteBuffer) {
        writeHeader(UInt8(ascii: "*"), command.count, into: &buffer)
        for argument in command {
            writeHeader(UInt8(ascii: "$"), argument.utf8.count, into: &buffer)
            buffer.writeString(argument)
            buffer.writeStaticString("\r\n")
        }
    }

    /// Writes `marker`, `count` in decimal and CRLF in one go: this runs twice per argument, so no `String` is made.
    private static func writeHeader(_ marker: UInt8, _ count: Int, into buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 24) { bytes in
            bytes[0] = marker
            var digits = 1
            var rest = count / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            var value = count
            for position in stride(from: digits, to: 0, by: -1) {
                bytes[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            bytes[digits + 1] = UInt8(ascii: "\r")
            bytes[digits + 2] = UInt8(ascii: "\n")
            return digits + 3
        }
    }

    /// Encodes `command` into a new buffer.
    public static func encode(_ command: [String]) -> ByteBuffer {
        var buffer = ByteBuffer()
        encode(command, into: &buffer)
        return buffer
    }
}
