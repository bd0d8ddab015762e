import NIOCore

/// A message's content: its properties and body.
public struct AMQPMessage: Sendable, Equatable {
    /// The content header properties (message id, type, timestamp, headers, delivery mode, …).
    public var properties: AMQPBasicProperties
    /// The body bytes.
    public var body: ByteBuffer

    /// Creates a message.
    public init(properties: AMQPBasicProperties = AMQPBasicProperties(), body: ByteBuffer) {
        self.properties = properties
        self.body = body
    }
}

/// Where a delivered message came from and how to acknowledge it.
public struct AMQPEnvelope: Sendable, Equatable {
    /// The channel-scoped tag that ack, nack and reject name.
    public var deliveryTag: UInt64
    /// Whether the broker delivered this message before (it was requeued or not acknowledged).
    public var redelivered: Bool
    /// The exchange the message was published to; empty for the default exchange.
    public var exchange: String
    /// The routing key the message was published with.
    public var routingKey: String

    /// Creates an envelope.
    public init(deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String) {
        self.deliveryTag = deliveryTag
        self.redelivered = redelivered
        self.exchange = exchange
        self.routingKey = routingKey
    }
}

/// A `mandatory` message the broker could not route, sent back with basic.return.
public struct AMQPReturnedMessage: Sendable, Equatable {
    /// Why it came back, e.g. 312.
    public var replyCode: UInt16
    /// The reason, e.g. `NO_ROUTE`.
    public var replyText: String
    /// The exchange it was published to.
    public var exchange: String
    /// The routing key it was published with.
    public var routingKey: String
    /// The message itself.
    public var message: AMQPMessage

    /// Creates a returned message.
    public init(replyCode: UInt16, replyText: String, exchange: String, routingKey: String, message: AMQPMessage) {
        self.replyCode = replyCode
        self.replyText = replyText
        self.exchange = exchange
        self.routingKey = routingKey
        self.message = message
    }
}

/// One message to publish: where it goes and what it holds.
public struct AMQPOutboundMessage: Sendable, Equatable {
    /// The exchange; empty for the default exchange, which routes by queue name.
    public var exchange: String
    /// The routing key.
    public var routingKey: String
    /// Whether the broker must return the message when no queue takes it.
    public var mandatory: Bool
    /// The properties and body.
    public var message: AMQPMessage

    /// Creates a message to publish.
    public init(exchange: String = "", routingKey: String, mandatory: Bool = false, message: AMQPMessage) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.mandatory = mandatory
        self.message = message
    }
}
