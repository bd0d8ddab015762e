/// The "relaxed" canonicalization of RFC 6376 §3.4.2 and §3.4.4, on octets with CRLF line breaks.
enum DKIMCanonicalization {
    /// One header field as it appears in the message: its name and everything after the colon, folding included.
    struct Field {
        var name: String
        var raw: [UInt8]
    }

    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    /// Splits a message into its header fields and its body (after the first empty line).
    static func split(_ message: [UInt8]) -> (fields: [Field], body: ArraySlice<UInt8>) {
        var fields: [Field] = []
        var index = 0
        while index < message.count {
            var end = index
            while end + 1 < message.count, !(message[end] == cr && message[end + 1] == lf) { end += 1 }
            let line = message[index..<min(end, message.count)]
            let next = min(end + 2, message.count)
            if line.isEmpty { return (fields, message[next...]) }
            if line.first == space || line.first == tab, !fields.isEmpty {
                fields[fields.count - 1].raw += [cr, lf] + line
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                fields.append(Field(name: String(decoding: message[index..<colon], as: UTF8.self), raw: Array(message[(colon + 1)..<line.endIndex])))
            }
            index = next
        }
        return (fields, [])
    }

    /// `name:value` with the name lower-cased, the value unfolded, runs of spaces and tabs made one space, and spaces
    /// around the colon and at the end removed; with a CRLF when `lineBreak` is set.
    static func header(name: String, raw: [UInt8], lineBreak: Bool = true) -> [UInt8] {
        var value: [UInt8] = []
        var pendingSpace = false
        for byte in raw where byte != cr && byte != lf {
            if byte == space || byte == tab {
                pendingSpace = true
                continue
            }
            if pendingSpace, !value.isEmpty { value.append(space) }
            pendingSpace = false
            value.append(byte)
        }
        let trimmedName = name.trimmingWhitespace.lowercased()
        return Array(trimmedName.utf8) + [UInt8(ascii: ":")] + value + (lineBreak ? [cr, lf] : [])
    }

    /// The body with each line's runs of spaces and tabs made one space, spaces at line ends removed, and empty lines
    /// at the end removed; a non-empty body ends in CRLF.
    static func body(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var pendingSpace = false
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            if byte == cr, index + 1 < body.endIndex, body[index + 1] == lf {
                lines.append(current)
                current = []
                pendingSpace = false
                index += 2
                continue
            }
            if byte == space || byte == tab {
                pendingSpace = true
            } else {
                if pendingSpace { current.append(space) }
                pendingSpace = false
                current.append(byte)
            }
            index += 1
        }
        if !current.isEmpty { lines.append(current) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.flatMap { $0 + [cr, lf] }
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
