/// An SMS gateway: sends one text to one or many numbers and tells, per number, what became of it.
public protocol SMSProvider: Sendable {
    /// The gateway's name, for logs and the stored outcome (`sms.ru`, `sandbox`).
    var name: String { get }

    /// Sends `message`; one outcome per recipient, in the message's order. Throws only when nothing is known of any
    /// recipient (``SMSError``): the request never left, or it left and no answer came.
    func send(_ message: SMSMessage) async throws(SMSError) -> [SMSRecipientOutcome]

    /// What became of a message the gateway accepted, by its id; nil when the gateway cannot be asked.
    func status(ofMessage id: String) async throws(SMSError) -> SMSDeliveryStatus?
}

/// One text for one or more numbers.
public struct SMSMessage: Sendable, Hashable {
    /// The text.
    public var text: String
    /// Who gets it.
    public var recipients: [PhoneNumber]
    /// The sender name the gateway shows (an approved alphanumeric name), or nil for its default.
    public var sender: String?

    /// A message.
    public init(text: String, to recipients: [PhoneNumber], sender: String? = nil) {
        self.text = text
        self.recipients = recipients
        self.sender = sender
    }

    /// The segments it takes per recipient.
    public var segments: SMSSegments { SMSSegments(text) }
}

/// What became of a message for one number.
public struct SMSRecipientOutcome: Sendable, Hashable {
    /// The number.
    public let number: PhoneNumber
    /// What the gateway answered for it.
    public let outcome: SMSOutcome

    /// An outcome for `number`.
    public init(number: PhoneNumber, outcome: SMSOutcome) {
        self.number = number
        self.outcome = outcome
    }
}

/// A gateway's answer for one number.
public enum SMSOutcome: Sendable, Hashable {
    /// Taken for delivery: its id at the gateway (for ``SMSProvider/status(ofMessage:)``), and its cost in kopecks and
    /// segments when the gateway said.
    case accepted(messageID: String, costKopecks: Int?, segments: Int?)
    /// Refused for good for this number or this account (bad number, stop list, sender name not approved, bad
    /// credentials): `code` is the gateway's own.
    case refused(code: String, reason: String)
    /// Not sent now, may be later (no money on the account, a rate limit, the gateway down).
    case retryLater(code: String, reason: String, after: Duration?)
}

/// Where a message is after it was accepted.
public enum SMSDeliveryStatus: Sendable, Hashable {
    /// In the gateway's queue or on its way to the operator.
    case pending(code: String, text: String)
    /// Handed to the operator, not yet confirmed.
    case sent(code: String, text: String)
    /// Delivered to the phone, with its final cost when told.
    case delivered(costKopecks: Int?)
    /// Will not be delivered (expired, phone off, rejected).
    case failed(code: String, reason: String)
    /// The gateway does not know the id.
    case unknown
}
