/// Who a message is from and to, as the SMTP transaction says it (`MAIL FROM` and `RCPT TO`), apart from the headers.
public struct SMTPEnvelope: Sendable, Hashable {
    /// The reverse path, where bounces go; empty for a null sender (`MAIL FROM:<>`).
    public var sender: String
    /// The recipients, one `RCPT TO` each.
    public var recipients: [String]

    /// Creates an envelope.
    public init(sender: String, recipients: [String]) {
        self.sender = sender
        self.recipients = recipients
    }

    /// Whether an address needs `SMTPUTF8` (non-ASCII).
    var needsSMTPUTF8: Bool { ([sender] + recipients).contains { !$0.allSatisfy(\.isASCII) } }

    /// Refuses an envelope whose addresses would break the command line: no recipients, a line break, angle brackets,
    /// spaces or control characters in an address.
    func validate() throws(SMTPError) {
        guard !recipients.isEmpty else { throw SMTPError(code: .invalidMessage, message: "the envelope has no recipients") }
        for (index, address) in ([sender] + recipients).enumerated() {
            let field = index == 0 ? "sender" : "recipients[\(index - 1)]"
            guard index == 0 || !address.isEmpty else { throw SMTPError(code: .invalidMessage, message: "the envelope's \(field) is empty") }
            guard address.utf8.count <= 320 else { throw SMTPError(code: .invalidMessage, message: "the envelope's \(field) is too long") }
            let forbidden = address.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F || "<>".unicodeScalars.contains($0) }
            guard !forbidden else {
                throw SMTPError(code: .invalidMessage, message: "the envelope's \(field) holds a space, a control character or an angle bracket")
            }
        }
    }
}

/// What became of one message: each recipient's outcome and the server's last reply.
public struct SMTPDeliveryReport: Sendable, Hashable {
    /// One recipient's outcome.
    public struct Recipient: Sendable, Hashable {
        /// How it ended.
        public enum Status: Sendable, Hashable {
            /// The server took the message for this recipient.
            case accepted
            /// Refused for now (4xx): try this recipient again later.
            case transientFailure
            /// Refused for good (5xx): do not retry.
            case permanentFailure
        }

        /// The address as given to `RCPT TO`.
        public var address: String
        /// The outcome.
        public var status: Status
        /// The reply that decided it: the recipient's own refusal, or the reply to the message (or to `MAIL FROM`).
        public var reply: SMTPReply

        /// Creates an outcome.
        public init(address: String, status: Status, reply: SMTPReply) {
            self.address = address
            self.status = status
            self.reply = reply
        }
    }

    /// The recipients in the envelope's order.
    public var recipients: [Recipient]
    /// The reply that ended the transaction: the reply to the message after `DATA`, or the refusal that stopped it.
    public var finalReply: SMTPReply

    /// Creates a report.
    public init(recipients: [Recipient], finalReply: SMTPReply) {
        self.recipients = recipients
        self.finalReply = finalReply
    }

    /// The recipients the server accepted the message for.
    public var accepted: [String] { recipients.filter { $0.status == .accepted }.map(\.address) }
    /// The recipients to try again later.
    public var transientFailures: [String] { recipients.filter { $0.status == .transientFailure }.map(\.address) }
    /// The recipients refused for good.
    public var permanentFailures: [String] { recipients.filter { $0.status == .permanentFailure }.map(\.address) }
    /// Whether every recipient was accepted.
    public var isFullyAccepted: Bool { recipients.allSatisfy { $0.status == .accepted } }
}

extension SMTPDeliveryReport.Recipient.Status {
    /// The status a reply means.
    init(_ reply: SMTPReply) {
        switch reply.category {
        case .positiveCompletion, .positiveIntermediate: self = .accepted
        case .transientFailure: self = .transientFailure
        case .permanentFailure: self = .permanentFailure
        }
    }
}
