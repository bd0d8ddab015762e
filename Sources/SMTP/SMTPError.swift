/// An error from the SMTP client: a refused command, a lost connection, a timeout, a protocol violation, a server that
/// cannot take the message as it is, or an invalid configuration. Never carries a password.
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. Opaque so that new kinds can be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case rejected, connectionLost, connectionClosed, timeout, protocolError, tlsRequired, authenticationFailed, unsupported,
                invalidMessage, invalidConfiguration
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The server refused a command of the session (greeting, `EHLO`, `STARTTLS`); the error's reply says why.
        public static let rejected = Code(.rejected)
        /// The connection failed or dropped.
        public static let connectionLost = Code(.connectionLost)
        /// The connection (or client) was closed by its owner.
        public static let connectionClosed = Code(.connectionClosed)
        /// No reply arrived within the step's deadline.
        public static let timeout = Code(.timeout)
        /// The server sent something that is not an SMTP reply, or a reply nothing asked for.
        public static let protocolError = Code(.protocolError)
        /// TLS is required but the server does not offer `STARTTLS` (or refused it): nothing is sent in clear.
        public static let tlsRequired = Code(.tlsRequired)
        /// The server refused the credentials, or offers no mechanism the client speaks.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The message needs an extension the server lacks (`SMTPUTF8`, `8BITMIME`), or is larger than its `SIZE`.
        public static let unsupported = Code(.unsupported)
        /// The message or an address cannot be sent as it is (a line over 998 octets, a line break in an address).
        public static let invalidMessage = Code(.invalidMessage)
        /// The client configuration (for example its URL) is invalid.
        public static let invalidConfiguration = Code(.invalidConfiguration)

        /// The code's name.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, in words.
    public var message: String
    /// The server's reply that caused the error, when there is one.
    public var reply: SMTPReply?
    /// Set when the connection broke or timed out after the whole message was sent and before the server answered
    /// it: the server may have accepted the message (RFC 1047), so sending it again may deliver it twice. When not set,
    /// the message was certainly not delivered by this attempt.
    public var deliveryUnknown = false

    /// Creates an error.
    public init(code: Code, message: String, reply: SMTPReply? = nil) {
        self.code = code
        self.message = message
        self.reply = reply
    }

    /// Whether trying again later may succeed: a 4xx reply, a lost connection or a timeout.
    public var isTransient: Bool {
        if let reply { return reply.category == .transientFailure }
        return [.connectionLost, .timeout].contains(code)
    }

    /// The code, message and reply.
    public var description: String {
        "SMTPError.\(code): \(message)" + (reply.map { " (server: \($0))" } ?? "")
    }

    static func protocolError(_ message: String) -> SMTPError { SMTPError(code: .protocolError, message: message) }
}
