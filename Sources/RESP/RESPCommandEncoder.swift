import NIOCore

/// Encodes commands the way Redis expects them from clients: an array of bulk strings.
public enum RESPCommandEncoder {
    /// Appends `command` (name and arguments) to `buffer` as `*N\r\n$len\r\narg\r\n…`.
    public static func encode(_ command: [String], into buffer: inout ByteBuffer) {
        buffer.writeStaticString("*")
        buffer.writeString(String(command.count))
        buffer.writeStaticString("\r\n")
        for argument in command {
            buffer.writeStaticString("$")
            buffer.writeString(String(argument.utf8.count))
            buffer.writeStaticString("\r\n")
            buffer.writeString(argument)
            buffer.writeStaticString("\r\n")
        }
    }

    /// Encodes `command` into a new buffer.
    public static func encode(_ command: [String]) -> ByteBuffer {
        var buffer = ByteBuffer()
        encode(command, into: &buffer)
        return buffer
    }
}
