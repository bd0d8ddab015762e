import Foundation

/// The transfer encodings a message needs: RFC 2047 encoded-words for headers, quoted-printable and base64 for bodies
/// (RFC 2045), and header folding (RFC 5322).
enum MIMEEncoding {
    /// How long a body or folded header line should be (RFC 5322 §2.1.1 says 78; MIME encodings use 76).
    static let lineLength = 76

    /// Line breaks and other control characters in a header value replaced by spaces, so a value cannot start a new
    /// header.
    static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    /// Whether every character is printable ASCII or a space.
    static func isPrintableASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }
    }

    // MARK: - Headers

    /// A display name: an atom sequence as it is, a quoted string when it holds specials, encoded-words when it is not
    /// ASCII.
    static func phrase(_ text: String) -> String {
        guard isPrintableASCII(text) else { return encodedWords(text).joined(separator: "\r\n ") }
        let specials = Set("()<>[]:;@\\,.\"")
        guard text.contains(where: specials.contains) else { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// An unstructured header value (a subject): folded at spaces when ASCII, encoded-words on folded lines otherwise.
    static func unstructured(_ text: String, nameLength: Int) -> String {
        let text = singleLine(text)
        guard isPrintableASCII(text) else { return encodedWords(text).joined(separator: "\r\n ") }
        return fold(
            words: text.split(separator: " ", omittingEmptySubsequences: false).map(String.init), separator: " ", firstLineUsed: nameLength + 2)
    }

    /// `=?UTF-8?B?…?=` words, each encoding at most 39 octets of whole characters (64 characters a word, so a word
    /// and a header name fit one line).
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words
    }

    /// Joins `words` with `separator`, starting a continuation line (CRLF and a space) before a word that would pass
    /// 78 characters.
    static func fold(words: [String], separator: String, firstLineUsed: Int) -> String {
        var result = ""
        var used = firstLineUsed
        for (index, word) in words.enumerated() {
            let firstLine = word.components(separatedBy: "\r\n")
            if index > 0 {
                if used + separator.count + (firstLine.first?.count ?? 0) > 78, used > 1 {
                    result += separator.trimmingCharacters(in: .whitespaces) + "\r\n "
                    used = 1
                } else {
                    result += separator
                    used += separator.count
                }
            }
            result += word
            used = firstLine.count > 1 ? (firstLine.last?.count ?? 0) : used + word.count
        }
        return result
    }

    // MARK: - Bodies

    /// The transfer encoding that fits a text body: `7bit` for short-lined ASCII, `quoted-printable` for mostly ASCII
    /// (HTML, Latin text), `base64` when more than a sixth of the octets are not ASCII (Cyrillic text).
    static func transferEncoding(for text: String) -> String {
        let bytes = Array(text.utf8)
        let nonASCII = bytes.count { $0 > 127 }
        if nonASCII == 0, text.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy({ $0.utf8.count <= 998 }),
            !bytes.contains(0)
        {
            return "7bit"
        }
        return nonASCII * 6 > bytes.count ? "base64" : "quoted-printable"
    }

    /// `text` encoded with `encoding` (one of ``transferEncoding(for:)``'s answers), lines ending in CRLF.
    static func encodeBody(_ text: String, as encoding: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        switch encoding {
        case "base64": return base64Lines(Array(normalized.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        case "quoted-printable": return quotedPrintable(normalized)
        default: return normalized.replacingOccurrences(of: "\n", with: "\r\n") + (normalized.hasSuffix("\n") ? "" : "\r\n")
        }
    }

    /// Base64 in lines of 76 characters.
    static func base64Lines(_ bytes: [UInt8]) -> String {
        let encoded = Data(bytes).base64EncodedString()
        var lines: [Substring] = []
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: lineLength, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(encoded[start..<end])
            start = end
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Quoted-printable (RFC 2045 §6.7): line breaks kept as hard breaks, lines cut with soft breaks at 76 characters,
    /// `=`, non-ASCII octets and a space or tab before a line break encoded.
    static func quotedPrintable(_ text: String) -> String {
        var output = ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            let bytes = Array(line.utf8)
            var current = ""
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let token: String
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    token = isLast ? String(format: "=%02X", byte) : String(UnicodeScalar(byte))
                case 33...60, 62...126:
                    token = String(UnicodeScalar(byte))
                default:
                    token = String(format: "=%02X", byte)
                }
                if current.count + token.count > lineLength - 1 {
                    output += current + "=\r\n"
                    current = ""
                }
                current += token
            }
            output += current + "\r\n"
        }
        return output
    }
}
