/// One reply from an SMTP server: the three-digit code, the enhanced status code (RFC 3463) when the server gives one,
/// and the text of every line (a multi-line `250-…`/`250 …` reply has several).
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// What a reply means for the command it answers, from the code's first digit.
    public enum Category: Sendable, Hashable {
        /// 2xx: done.
        case positiveCompletion
        /// 3xx: go on (the server waits for the message after `DATA`, or for the next `AUTH` step).
        case positiveIntermediate
        /// 4xx: refused for now; the same command may succeed later.
        case transientFailure
        /// 5xx: refused for good; retrying the same command will not help.
        case permanentFailure
    }

    /// The reply code, 200 to 599.
    public var code: Int
    /// The enhanced status code at the start of the first line (`5.1.1`), when there is one.
    public var enhancedStatus: SMTPEnhancedStatus?
    /// Each line's text after the code and separator (and after the enhanced status code where there is one).
    public var lines: [String]

    /// Creates a reply.
    public init(code: Int, enhancedStatus: SMTPEnhancedStatus? = nil, lines: [String]) {
        self.code = code
        self.enhancedStatus = enhancedStatus
        self.lines = lines
    }

    /// What the reply means, from its code.
    public var category: Category {
        switch code / 100 {
        case 2: .positiveCompletion
        case 3: .positiveIntermediate
        case 4: .transientFailure
        default: .permanentFailure
        }
    }

    /// Whether the code is 2xx.
    public var isPositive: Bool { category == .positiveCompletion }

    /// The lines joined with spaces.
    public var text: String { lines.joined(separator: " ") }

    /// The code, the enhanced status and the text, as the server sent them (lines joined).
    public var description: String {
        [String(code), enhancedStatus?.description, text].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// An enhanced mail system status code (RFC 3463): class, subject and detail, as in `5.1.1` (bad destination mailbox).
public struct SMTPEnhancedStatus: Sendable, Hashable, CustomStringConvertible {
    /// 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
    public var statusClass: Int
    /// The subject: 1 addressing, 2 mailbox, 3 mail system, 4 network and routing, 5 delivery protocol, 6 content,
    /// 7 security or policy.
    public var subject: Int
    /// The detail within the subject.
    public var detail: Int

    /// Creates a status code.
    public init(statusClass: Int, subject: Int, detail: Int) {
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// Parses `class.subject.detail`; `nil` when the text is not one.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy(\.isASCII) }),
            let statusClass = Int(parts[0]), [2, 4, 5].contains(statusClass), parts[0].count == 1,
            let subject = Int(parts[1]), let detail = Int(parts[2])
        else { return nil }
        self.init(statusClass: statusClass, subject: subject, detail: detail)
    }

    /// `class.subject.detail`.
    public var description: String { "\(statusClass).\(subject).\(detail)" }
}
