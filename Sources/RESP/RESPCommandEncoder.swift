import NIOCore

/// Encodes commands the way Redis expects them from clients: an array of bulk strings.
public enum RESPCommandEncoder {
    /// Appends `command` (name and arguments) to `buffer` as `*N\r\n$len\r\narg\r\n…`.
    public static func encode(_ command: [String], into buffer: inout ByteBuffer) {
        var size = RESPWireWriter.headerSize(command.count)
        for argument in command { size += RESPWireWriter.bulkSize(argument.utf8.count) }
        RESPWireWriter.write(size, into: &buffer) { writer in
            writer.header(UInt8(ascii: "*"), command.count)
            for argument in command { writer.bulk(argument) }
        }
    }

    /// Encodes `command` into a new buffer.
    public static func encode(_ command: [String]) -> ByteBuffer {
        var buffer = ByteBuffer()
        encode(command, into: &buffer)
        return buffer
    }
}
