import NIOCore

/// Where a consumer's deliveries go, and how it learns that it ended.
struct AMQPConsumerSink: Sendable {
    var deliver: @Sendable (AMQPEnvelope, AMQPMessage) -> Void
    var finish: @Sendable (AMQPError?) -> Void
}

/// One operation on its way to the handler, and the promise it answers.
struct AMQPRequest: Sendable {
    enum Operation: Sendable {
        /// Opens a channel; `onClose` hears once that it closed, with the broker's error if the broker closed it.
        case openChannel(onClose: @Sendable (AMQPError?) -> Void)
        case closeChannel(AMQPChannelReference)
        /// Sends a method: synchronous ones wait for their reply.
        case method(AMQPMethod, AMQPChannelReference)
        case publish(AMQPOutboundMessage, AMQPChannelReference)
        /// basic.consume, with the sink registered before any delivery can arrive.
        case consume(AMQPMethod, AMQPChannelReference, AMQPConsumerSink)
    }

    var operation: Operation
    var promise: EventLoopPromise<AMQPResponse>
}

/// Asks the handler to close the connection gracefully (connection.close, then close-ok).
struct AMQPGracefulCloseEvent: Sendable {}
