import NIOCore

/// Decodes SMTP replies from bytes: `250-first`, `250-second`, `250 last` is one reply of three lines. Lines end in
/// CRLF (a bare LF is accepted); every line of a reply must carry the same code.
struct SMTPReplyDecoder {
    /// How much a reply may hold before the server is considered broken.
    struct Limits: Sendable, Hashable {
        /// The longest line, without its line break. RFC 5321 sets 512 octets; real servers send longer texts.
        var maximumLineLength = 4096
        /// The most lines in one reply (an `EHLO` reply has one per extension).
        var maximumLines = 256
    }

    let limits: Limits
    private var lines: [String] = []
    private var code: Int?

    init(limits: Limits = Limits()) { self.limits = limits }

    /// Decodes the next complete reply from `buffer`, consuming its lines; `nil` when more bytes are needed (the lines
    /// of a reply read so far are kept until the rest arrives).
    mutating func decode(_ buffer: inout ByteBuffer) throws(SMTPError) -> SMTPReply? {
        while true {
            let view = buffer.readableBytesView
            guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.readableBytes > limits.maximumLineLength + 1 {
                    throw .protocolError("a reply line is longer than \(limits.maximumLineLength) octets")
                }
                return nil
            }
            var end = newline
            if end > view.startIndex, view[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = view[view.startIndex..<end]
            buffer.moveReaderIndex(forwardBy: newline - view.startIndex + 1)
            guard line.count <= limits.maximumLineLength else {
                throw .protocolError("a reply line is longer than \(limits.maximumLineLength) octets")
            }
            let (lineCode, isLast, text) = try Self.parse(Array(line))
            if let code, code != lineCode { throw .protocolError("a multi-line reply changed its code from \(code) to \(lineCode)") }
            code = lineCode
            lines.append(text)
            guard lines.count <= limits.maximumLines else { throw .protocolError("a reply has more than \(limits.maximumLines) lines") }
            if isLast {
                defer {
                    lines = []
                    code = nil
                }
                return Self.reply(code: lineCode, lines: lines)
            }
        }
    }

    private static func parse(_ line: [UInt8]) throws(SMTPError) -> (code: Int, isLast: Bool, text: String) {
        guard line.count >= 3, line[0..<3].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(line[0])
        else {
            throw .protocolError("not an SMTP reply line: \(String(decoding: line.prefix(80), as: UTF8.self).debugDescription)")
        }
        let code = line[0..<3].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard line.count > 3 else { return (code, true, "") }
        switch line[3] {
        case UInt8(ascii: " "): return (code, true, String(decoding: line[4...], as: UTF8.self))
        case UInt8(ascii: "-"): return (code, false, String(decoding: line[4...], as: UTF8.self))
        default: throw .protocolError("an SMTP reply line with \(code) is followed by neither a space nor a hyphen")
        }
    }

    /// Takes the enhanced status code off the first line when it starts with one whose class matches the reply code.
    private static func reply(code: Int, lines: [String]) -> SMTPReply {
        guard let first = lines.first, code / 100 != 3 else { return SMTPReply(code: code, lines: lines) }
        let word = first.prefix { $0 != " " }
        guard let status = SMTPEnhancedStatus(word), status.statusClass == code / 100 else { return SMTPReply(code: code, lines: lines) }
        var stripped = lines.map { line -> String in
            guard line.hasPrefix(word + " ") || line == word else { return line }
            return String(line.dropFirst(word.count).drop { $0 == " " })
        }
        if stripped.isEmpty { stripped = [""] }
        return SMTPReply(code: code, enhancedStatus: status, lines: stripped)
    }
}
