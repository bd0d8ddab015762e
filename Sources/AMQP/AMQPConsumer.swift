/// A running consumer: an `AsyncSequence` of its deliveries.
///
/// The sequence ends when the consumer is cancelled (by ``cancel()`` or by closing its channel) and throws when the
/// broker cancels it (``AMQPError/Code/consumerCancelled``), closes its channel or the connection is lost.
public struct AMQPConsumer: AsyncSequence, Sendable {
    /// The sequence's element.
    public typealias Element = AMQPDelivery

    /// The consumer tag the broker knows it by.
    public let tag: String
    /// The channel it consumes on.
    public let channel: AMQPChannel
    private let deliveries: AsyncThrowingStream<AMQPDelivery, any Error>

    init(tag: String, channel: AMQPChannel, deliveries: AsyncThrowingStream<AMQPDelivery, any Error>) {
        self.tag = tag
        self.channel = channel
        self.deliveries = deliveries
    }

    /// Stops the consumer (basic.cancel); deliveries already received stay in the sequence, which then ends.
    public func cancel() async throws {
        try await channel.basicCancel(tag)
    }

    /// Iterates over the deliveries.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<AMQPDelivery, any Error>.AsyncIterator

        /// The next delivery, or nil once the consumer ended.
        public mutating func next() async throws -> AMQPDelivery? {
            try await base.next()
        }
    }

    /// Makes an iterator; iterate once.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: deliveries.makeAsyncIterator())
    }
}
