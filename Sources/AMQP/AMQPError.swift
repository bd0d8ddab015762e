/// An error from the AMQP client: the broker closed a channel or the connection, the connection was lost, a publish
/// was refused, or the peer broke the protocol.
///
/// When the broker closed something, ``replyCode``, ``replyText`` and the failing method's ``classID`` and ``methodID``
/// say why (for example 404 `NOT_FOUND` from queue.declare, class 50 method 10).
public struct AMQPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. Opaque so that new kinds can be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case connectionClosed, channelClosed, connectionLost, clientClosed, heartbeatTimeout, protocolError
            case authenticationFailed, publishNacked, messageReturned, consumerCancelled, channelLimitReached, invalidArgument, invalidConfiguration,
                timeout
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The broker closed the connection with connection.close; the reply code and text say why.
        public static let connectionClosed = Code(.connectionClosed)
        /// The broker closed the channel with channel.close (e.g. 404 on a passive declare); other channels live on.
        public static let channelClosed = Code(.channelClosed)
        /// The TCP connection failed or dropped.
        public static let connectionLost = Code(.connectionLost)
        /// The operation came after the client itself closed the channel or connection.
        public static let clientClosed = Code(.clientClosed)
        /// Nothing arrived from the broker for two heartbeat intervals.
        public static let heartbeatTimeout = Code(.heartbeatTimeout)
        /// The broker sent something this client cannot accept: a malformed or unexpected frame.
        public static let protocolError = Code(.protocolError)
        /// The broker refused the credentials or offers no mechanism this client supports.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The broker answered a publish with basic.nack: it did not take responsibility for the message.
        public static let publishNacked = Code(.publishNacked)
        /// A `mandatory` publish could not be routed to any queue and came back with basic.return.
        public static let messageReturned = Code(.messageReturned)
        /// The broker cancelled the consumer, e.g. because its queue was deleted.
        public static let consumerCancelled = Code(.consumerCancelled)
        /// Every channel number the connection negotiated is in use.
        public static let channelLimitReached = Code(.channelLimitReached)
        /// A request's arguments cannot be sent, e.g. a queue name longer than 255 bytes; nothing was sent.
        public static let invalidArgument = Code(.invalidArgument)
        /// The client configuration (for example its URL) is invalid.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The broker did not finish the handshake in time.
        public static let timeout = Code(.timeout)

        /// The code's name.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// Human-readable detail.
    public var message: String
    /// The AMQP reply code from connection.close, channel.close or basic.return (e.g. 404, 406, 312, 320), if any.
    public var replyCode: UInt16?
    /// The broker's reply text, e.g. `NOT_FOUND - no queue 'q' in vhost '/'`.
    public var replyText: String?
    /// The class id of the method that caused a close, or 0 when none did.
    public var classID: UInt16?
    /// The method id of the method that caused a close, or 0 when none did.
    public var methodID: UInt16?

    /// Creates an error.
    public init(
        code: Code, message: String, replyCode: UInt16? = nil, replyText: String? = nil, classID: UInt16? = nil, methodID: UInt16? = nil
    ) {
        self.code = code
        self.message = message
        self.replyCode = replyCode
        self.replyText = replyText
        self.classID = classID
        self.methodID = methodID
    }

    /// The code, message and reply code.
    public var description: String {
        if let replyCode { return "AMQPError.\(code) (\(replyCode)): \(message)" }
        return "AMQPError.\(code): \(message)"
    }

    static func connectionClosed(replyCode: UInt16, replyText: String, classID: UInt16, methodID: UInt16) -> AMQPError {
        let code: Code = replyCode == 403 ? .authenticationFailed : .connectionClosed
        return AMQPError(
            code: code, message: "the broker closed the connection: \(replyText)", replyCode: replyCode, replyText: replyText,
            classID: classID, methodID: methodID)
    }

    static func channelClosed(replyCode: UInt16, replyText: String, classID: UInt16, methodID: UInt16) -> AMQPError {
        AMQPError(
            code: .channelClosed, message: "the broker closed the channel: \(replyText)", replyCode: replyCode, replyText: replyText,
            classID: classID, methodID: methodID)
    }

    static func protocolError(_ message: String) -> AMQPError { AMQPError(code: .protocolError, message: message) }

    static let clientClosedChannel = AMQPError(code: .clientClosed, message: "the channel was closed by the client")
    static let clientClosedConnection = AMQPError(code: .clientClosed, message: "the connection was closed by the client")
    static let lost = AMQPError(code: .connectionLost, message: "the connection was lost")
}
