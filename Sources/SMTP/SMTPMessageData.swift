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
        let bytes = Array(message)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 50 + 8)
        var size = 0
        var has8Bit = false
        // Line by line: each line's bytes are copied at once, a leading dot doubled, its break written as CRLF.
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 13, bytes[end] != 10 { end += 1 }
            let length = end - start
            if length > Self.maximumLineLength {
                throw SMTPError(code: .invalidMessage, message: "a message line is longer than \(Self.maximumLineLength) octets")
            }
            if length > 0 {
                if bytes[start] == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
                out.append(contentsOf: bytes[start..<end])
                if !has8Bit { has8Bit = bytes[start..<end].contains { $0 > 127 } }
            }
            out += [13, 10]
            size += length + 2
            if end < bytes.count, bytes[end] == 13, end + 1 < bytes.count, bytes[end + 1] == 10 {
                start = end + 2
            } else {
                start = end + 1
            }
        }
        out += Array(".\r\n".utf8)
        self.wireBytes = ByteBuffer(bytes: out)
        self.size = size
        self.has8BitContent = has8Bit
    }
}
