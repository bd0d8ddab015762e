import NIOCore

/// The message as it goes after `DATA`: line breaks made CRLF, every line that starts with a dot given a second one
/// (RFC 5321 §4.5.2), and the closing `.` line appended.
public struct SMTPMessageData: Sendable, Hashable {
    /// The longest line SMTP allows, without its CRLF (RFC 5321 §4.5.3.1.6).
    public static let maximumLineLength = 998

    /// The bytes to write after the server's 354, ending in `CRLF . CRLF`.
    public let wireBytes: ByteBuffer
    /// The message's size as the `SIZE=` parameter counts it: its octets with CRLF line breaks, before dot-stuffing.
    public let size: Int
    /// Whether any octet is above 127 (then the server must offer `8BITMIME`, and `BODY=8BITMIME` is declared).
    public let has8BitContent: Bool

    /// Prepares `message` (an RFC 5322 message: headers, a blank line, the body). A bare CR or LF becomes CRLF.
    ///
    /// - Throws: ``SMTPError/Code/invalidMessage`` when a line is longer than 998 octets.
    public init(_ message: some Collection<UInt8>) throws(SMTPError) {
        var out = ByteBuffer()
        out.reserveCapacity(message.count + message.count / 50 + 8)
        var size = 0
        var lineLength = 0
        var atLineStart = true
        var has8Bit = false
        var previousWasCR = false
        func endLine() {
            out.writeStaticString("\r\n")
            size += 2
            lineLength = 0
            atLineStart = true
        }
        for byte in message {
            if previousWasCR {
                previousWasCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\r"):
                endLine()
                previousWasCR = true
            case UInt8(ascii: "\n"):
                endLine()
            default:
                if atLineStart, byte == UInt8(ascii: ".") { out.writeInteger(UInt8(ascii: ".")) }
                atLineStart = false
                out.writeInteger(byte)
                size += 1
                lineLength += 1
                if byte > 127 { has8Bit = true }
                if lineLength > Self.maximumLineLength {
                    throw SMTPError(code: .invalidMessage, message: "a message line is longer than \(Self.maximumLineLength) octets")
                }
            }
        }
        if !atLineStart { endLine() }
        out.writeStaticString(".\r\n")
        self.wireBytes = out
        self.size = size
        self.has8BitContent = has8Bit
    }
}
