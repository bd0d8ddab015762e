import NIOCore

/// A message delivered to a consumer or fetched with basic.get, with the means to acknowledge it.
///
/// Unless consumed with `noAck`, every delivery must be settled once with ``ack()``, ``nack(requeue:)`` or
/// ``reject(requeue:)`` on the channel it came on; if that channel closed, the broker requeues the message itself.
public struct AMQPDelivery: Sendable {
    /// The delivery tag, redelivered flag, exchange and routing key.
    public var envelope: AMQPEnvelope
    /// The properties and body.
    public var message: AMQPMessage
    /// The channel the message came on, the only one that can settle it.
    public let channel: AMQPChannel

    /// Creates a delivery (for tests of code that consumes).
    public init(envelope: AMQPEnvelope, message: AMQPMessage, channel: AMQPChannel) {
        self.envelope = envelope
        self.message = message
        self.channel = channel
    }

    /// The body.
    public var body: ByteBuffer { message.body }
    /// The properties.
    public var properties: AMQPBasicProperties { message.properties }
    /// The routing key the message was published with.
    public var routingKey: String { envelope.routingKey }
    /// Whether the broker delivered the message before.
    public var redelivered: Bool { envelope.redelivered }

    /// Acknowledges the message: the broker forgets it. `multiple` also settles every earlier unsettled delivery.
    public func ack(multiple: Bool = false) async throws {
        try await channel.basicAck(deliveryTag: envelope.deliveryTag, multiple: multiple)
    }

    /// Refuses the message: back to its queue when `requeue`, else dropped or dead-lettered.
    public func nack(multiple: Bool = false, requeue: Bool = true) async throws {
        try await channel.basicNack(deliveryTag: envelope.deliveryTag, multiple: multiple, requeue: requeue)
    }

    /// Refuses the message (basic.reject): back to its queue when `requeue`, else dropped or dead-lettered.
    public func reject(requeue: Bool = false) async throws {
        try await channel.basicReject(deliveryTag: envelope.deliveryTag, requeue: requeue)
    }
}
