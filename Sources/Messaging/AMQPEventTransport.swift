import AMQP
import Kernel

/// Publishes events to RabbitMQ: the topic exchange `lastmile.events`, routing key = event type, with publisher
/// confirms, so a batch returns only once the broker has taken every event (and the outbox may mark them sent).
///
/// Events no consumer is bound for are dropped by the broker, as with any publish–subscribe exchange.
public final class AMQPEventTransport: EventTransport {
    /// The topic exchange every event goes to.
    public static let exchange = "lastmile.events"

    private let client: AMQPClient

    /// Creates the transport and has the client declare the exchange (now, or once it connects, and after reconnects).
    public init(client: AMQPClient) async throws {
        self.client = client
        try await client.exchangeDeclare(Self.exchange, type: "topic", durable: true)
    }

    /// Publishes the batch in order and waits for every confirm; throws (so the relay retries) if any failed.
    public func publish(_ events: [EventEnvelope]) async throws {
        guard !events.isEmpty else { return }
        try await client.publish(batch: events.map { AMQPEventCoding.message(for: $0, exchange: Self.exchange) })
    }
}
