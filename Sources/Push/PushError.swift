/// Why a push could not be tried or its outcome is not known. A provider's answer, even a refusal, is a ``PushOutcome``
/// instead. Never carries a key, a provider token or an access token.
public struct PushError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable, CustomStringConvertible {
        /// Nothing of the request left this process (connecting failed, the deadline passed before the request was
        /// written, the server refused the stream unprocessed): sending it again cannot deliver it twice.
        case neverSent
        /// The request was written but no answer came (the deadline passed, the connection dropped): the provider may
        /// have delivered it.
        case outcomeUnknown
        /// The notification cannot be sent as it is (its payload is over the provider's limit, a header is too long);
        /// sending it again will fail the same way.
        case invalidNotification
        /// The client's settings cannot be used (a key that is not a valid PEM key, a URL without a host).
        case invalidConfiguration
        /// An access token could not be obtained from the provider's token endpoint.
        case authenticationFailed
        /// The client was shut down.
        case shutDown

        /// The code's name.
        public var description: String { rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, in words.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether sending the same notification again later may succeed.
    public var isTransient: Bool { [.neverSent, .outcomeUnknown, .authenticationFailed].contains(code) }

    /// The code and the message.
    public var description: String { "PushError.\(code): \(message)" }
}
