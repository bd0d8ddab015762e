/// What a server offers, from its `EHLO` reply (empty after a `HELO` fallback).
public struct SMTPCapabilities: Sendable, Hashable {
    /// Every keyword the server listed, upper-cased, with its parameters.
    public var extensions: [String: [String]]

    /// Parses the lines of an `EHLO` reply; the first line is the server's greeting, not an extension.
    public init(ehloReply: SMTPReply) {
        var extensions: [String: [String]] = [:]
        for line in ehloReply.lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            extensions[keyword, default: []] += words.dropFirst()
        }
        self.extensions = extensions
    }

    /// No extensions (a server greeted with `HELO`).
    public init() { extensions = [:] }

    /// Whether `keyword` (such as `PIPELINING`) was listed.
    public func offers(_ keyword: String) -> Bool { extensions[keyword.uppercased()] != nil }

    /// `STARTTLS` (RFC 3207).
    public var startTLS: Bool { offers("STARTTLS") }
    /// `PIPELINING` (RFC 2920): a transaction's commands may go in one write.
    public var pipelining: Bool { offers("PIPELINING") }
    /// `8BITMIME` (RFC 6152).
    public var eightBitMIME: Bool { offers("8BITMIME") }
    /// `SMTPUTF8` (RFC 6531): addresses and headers in UTF-8.
    public var smtpUTF8: Bool { offers("SMTPUTF8") }
    /// `ENHANCEDSTATUSCODES` (RFC 2034).
    public var enhancedStatusCodes: Bool { offers("ENHANCEDSTATUSCODES") }
    /// The `AUTH` mechanisms, upper-cased (an old `AUTH=…` line counts too).
    public var authMechanisms: Set<String> {
        var mechanisms = Set((extensions["AUTH"] ?? []).map { $0.uppercased() })
        for keyword in extensions.keys where keyword.hasPrefix("AUTH=") {
            mechanisms.formUnion(keyword.dropFirst(5).split(separator: " ").map { $0.uppercased() })
            mechanisms.formUnion((extensions[keyword] ?? []).map { $0.uppercased() })
        }
        return mechanisms
    }
    /// `SIZE`: whether it was listed, and the largest message in octets when the server gave one (0 means no limit).
    public var maximumSize: Int? {
        guard let parameters = extensions["SIZE"] else { return nil }
        return parameters.first.flatMap { Int($0) } ?? 0
    }
}
