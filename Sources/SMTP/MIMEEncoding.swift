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
        var text = text
        return text.withUTF8 { transferEncoding(of: $0) }
    }

    private static func transferEncoding(of bytes: UnsafeBufferPointer<UInt8>) -> String {
        var (count, nonASCII, line, longLine, nul) = (0, 0, 0, false, false)
        for byte in bytes {
            count += 1
            if byte > 127 { nonASCII += 1 }
            if byte == 0 { nul = true }
            if byte == 10 || byte == 13 {
                line = 0
            } else {
                line += 1
                if line > 998 { longLine = true }
            }
        }
        if nonASCII == 0, !longLine, !nul { return "7bit" }
        return nonASCII * 6 > count ? "base64" : "quoted-printable"
    }

    /// `text` encoded with `encoding` (one of ``transferEncoding(for:)``'s answers), lines ending in CRLF.
    static func encodeBody(_ text: String, as encoding: String) -> String {
        let lines = lineFeedBytes(text)
        switch encoding {
        case "base64": return base64Lines(crlf(lines, terminated: false))
        case "quoted-printable": return quotedPrintable(lines)
        default: return String(decoding: crlf(lines, terminated: true), as: UTF8.self)
        }
    }

    /// The text's UTF-8 with every line break (CRLF, CR or LF) as one LF.
    static func lineFeedBytes(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { lineFeedBytes(of: $0) }
    }

    private static func lineFeedBytes(of utf8: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var afterCR = false
        for byte in utf8 {
            if byte == 13 {
                bytes.append(10)
                afterCR = true
                continue
            }
            if byte == 10, afterCR {
                afterCR = false
                continue
            }
            afterCR = false
            bytes.append(byte)
        }
        return bytes
    }

    /// LF-separated bytes with CRLF line breaks; with `terminated`, ending in one.
    static func crlf(_ lines: [UInt8], terminated: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.count + lines.count / 32 + 2)
        for byte in lines {
            if byte == 10 { bytes.append(13) }
            bytes.append(byte)
        }
        if terminated, bytes.last != 10 { bytes += [13, 10] }
        return bytes
    }

    /// Base64 in lines of 76 characters.
    static func base64Lines(_ bytes: [UInt8]) -> String {
        let encoded = Array(Data(bytes).base64EncodedString().utf8)
        var output: [UInt8] = []
        output.reserveCapacity(encoded.count + encoded.count / lineLength * 2 + 2)
        var start = 0
        while start < encoded.count {
            let end = min(start + lineLength, encoded.count)
            output += encoded[start..<end]
            output += [13, 10]
            start = end
        }
        if output.isEmpty { output = [13, 10] }
        return String(decoding: output, as: UTF8.self)
    }

    /// Quoted-printable (RFC 2045 §6.7) of LF-separated bytes: line breaks kept as hard breaks, lines cut with soft
    /// breaks at 76 characters, `=`, non-ASCII octets and a space or tab before a line break encoded.
    static func quotedPrintable(_ text: String) -> String { quotedPrintable(lineFeedBytes(text)) }

    private static let hex = Array("0123456789ABCDEF".utf8)

    private static func quotedPrintable(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8 + 4)
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            var used = 0
            for index in line.indices {
                let byte = line[index]
                let isLast = index == line.index(before: line.endIndex)
                let plain: Bool =
                    switch byte {
                    case UInt8(ascii: " "), UInt8(ascii: "\t"): !isLast
                    case 33...60, 62...126: true
                    default: false
                    }
                let width = plain ? 1 : 3
                if used + width > lineLength - 1 {
                    output += [UInt8(ascii: "="), 13, 10]
                    used = 0
                }
                if plain {
                    output.append(byte)
                } else {
                    output += [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                }
                used += width
            }
            output += [13, 10]
        }
        return String(decoding: output, as: UTF8.self)
    }
}
