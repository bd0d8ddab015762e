import NIOCore

/// One SMTP command as the client writes it. Its description hides what authentication sends.
enum SMTPCommand: Sendable, Hashable, CustomStringConvertible {
    case ehlo(String)
    case helo(String)
    case startTLS
    /// `AUTH mechanism [initial-response]`; the response is base64 and secret.
    case auth(mechanism: String, initialResponse: String?)
    /// One base64 answer to a 334 challenge; secret.
    case authResponse(String)
    case mail(from: String, parameters: [String])
    case recipient(to: String, parameters: [String])
    case data
    case reset
    case noop
    case quit

    /// Writes the command and its CRLF.
    func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .ehlo(let name): buffer.writeString("EHLO \(name)")
        case .helo(let name): buffer.writeString("HELO \(name)")
        case .startTLS: buffer.writeString("STARTTLS")
        case .auth(let mechanism, let initial): buffer.writeString("AUTH \(mechanism)" + (initial.map { " \($0)" } ?? ""))
        case .authResponse(let response): buffer.writeString(response)
        case .mail(let from, let parameters): buffer.writeString((["MAIL FROM:<\(from)>"] + parameters).joined(separator: " "))
        case .recipient(let to, let parameters): buffer.writeString((["RCPT TO:<\(to)>"] + parameters).joined(separator: " "))
        case .data: buffer.writeString("DATA")
        case .reset: buffer.writeString("RSET")
        case .noop: buffer.writeString("NOOP")
        case .quit: buffer.writeString("QUIT")
        }
        buffer.writeStaticString("\r\n")
    }

    /// The command as written, with credentials replaced by `<redacted>`.
    var description: String {
        switch self {
        case .auth(let mechanism, let initial): "AUTH \(mechanism)" + (initial == nil ? "" : " <redacted>")
        case .authResponse: "<redacted>"
        default:
            {
                var buffer = ByteBuffer()
                encode(into: &buffer)
                return String(decoding: buffer.readableBytesView.dropLast(2), as: UTF8.self)
            }()
        }
    }
}
