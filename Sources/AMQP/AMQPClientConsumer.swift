/// Deliveries from a queue through an ``AMQPClient``: an `AsyncSequence` that subscribes again after every reconnect.
///
/// Deliveries received before a connection dropped can no longer be acknowledged (the broker requeues them and
/// delivers them again, flagged redelivered), so consumers must be idempotent, as at-least-once delivery requires.
/// The sequence ends when the client stops; it throws when the broker refuses the subscription itself (say, 404 for
/// a missing queue) or cancels the consumer.
public struct AMQPClientConsumer: AsyncSequence, Sendable {
    /// The sequence's element.
    public typealias Element = AMQPDelivery

    let client: AMQPClient
    /// The queue consumed from.
    public let queue: String
    /// The most unacknowledged deliveries the broker sends at once.
    public let prefetch: UInt16
    let arguments: AMQPFieldTable

    /// Iterates over the deliveries, resubscribing as needed.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: AMQPClientConsumer
        var current: AMQPConsumer.AsyncIterator?

        /// The next delivery; waits through reconnects; nil once the client stopped.
        public mutating func next() async throws -> AMQPDelivery? {
            while true {
                if current == nil {
                    guard let connection = try await consumer.client.waitForConnection() else { return nil }
                    do {
                        let channel = try await connection.openChannel()
                        try await channel.basicQos(prefetchCount: consumer.prefetch)
                        current = try await channel.basicConsume(queue: consumer.queue, arguments: consumer.arguments).makeAsyncIterator()
                    } catch let error as AMQPError where Self.isConnectionFailure(error) {
                        // Dropped (or closing) while subscribing: wait a moment for the client to notice, then retry.
                        try await Task.sleep(for: .milliseconds(50))
                        continue
                    }
                }
                do {
                    if let delivery = try await current!.next() { return delivery }
                    current = nil  // the channel closed under us without an error: subscribe again
                } catch let error as AMQPError where Self.isConnectionFailure(error) {
                    current = nil
                }
            }
        }

        private static func isConnectionFailure(_ error: AMQPError) -> Bool {
            [.connectionLost, .connectionClosed, .heartbeatTimeout, .clientClosed, .timeout].contains(error.code)
        }
    }

    /// Makes an iterator; iterate once.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: self)
    }
}
