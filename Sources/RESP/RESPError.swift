/// An error from the RESP client: a server error reply, a lost connection, a timeout or a protocol violation.
public struct RESPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. Opaque so that new kinds can be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case serverError, connectionLost, connectionClosed, timeout, protocolError, unexpectedReply, invalidConfiguration
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The server answered with an error reply; the message holds its text.
        public static let serverError = Code(.serverError)
        /// The connection failed or dropped while the command was pending.
        public static let connectionLost = Code(.connectionLost)
        /// The command was sent after the connection (or client) was closed by its owner.
        public static let connectionClosed = Code(.connectionClosed)
        /// No reply arrived within the command timeout.
        public static let timeout = Code(.timeout)
        /// The server sent bytes that are not valid RESP, or more than the configured limits allow.
        public static let protocolError = Code(.protocolError)
        /// The reply was valid RESP but not of the shape the typed command expects.
        public static let unexpectedReply = Code(.unexpectedReply)
        /// The client configuration (for example its URL) is invalid.
        public static let invalidConfiguration = Code(.invalidConfiguration)

        /// The code's name.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// Human-readable detail; for server errors, the server's error text (e.g. `WRONGTYPE Operation against a key…`).
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// For server errors, the leading upper-case word of the message (e.g. `NOSCRIPT`, `WRONGTYPE`, `ERR`); `nil` otherwise.
    public var serverErrorPrefix: String? {
        guard code == .serverError, let word = message.split(separator: " ", maxSplits: 1).first else { return nil }
        return String(word)
    }

    /// The code and message.
    public var description: String { "RESPError.\(code): \(message)" }

    static func protocolError(_ message: String) -> RESPError { RESPError(code: .protocolError, message: message) }
    static func unexpectedReply(_ value: RESPValue, expected: String) -> RESPError {
        RESPError(code: .unexpectedReply, message: "expected \(expected), got \(value)")
    }
}
