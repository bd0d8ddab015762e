import AMQP
import Kernel

/// Publishes events to RabbitMQ: the topic exchange `lastmile.events`, routing key = event type, with publisher
/// confirms, so a batch counts as accepted only once the broker has taken every event (and the outbox may mark them
/// sent).
///
/// Events no consumer is bound for are dropped by the broker, as with any publish–subscribe exchange.
public final class AMQPEventTransport: EventTransport {
    /// The topic exchange every event goes to.
    public static let exchange = "lastmile.events"

    private let client: AMQPClient
    private let metrics: any EventMetrics

    /// Creates the transport and has the client declare the exchange (now, or once it connects, and after reconnects).
    ///
    /// `metrics` hears of confirmed and failed events by count; an ``OutboxRelay`` given metrics reports the same
    /// events (by type), so give them to one of the two.
    public init(client: AMQPClient, metrics: any EventMetrics = NoEventMetrics()) async throws {
        self.client = client
        self.metrics = metrics
        try await client.exchangeDeclare(Self.exchange, type: "topic", durable: true)
    }

    /// Publishes the batch in order and waits for every confirm; throws (so the relay retries) if any failed.
    public func publish(_ events: [EventEnvelope]) async throws {
        try await startPublishing(events).accepted()
    }

    /// Writes the batch in order on the client's confirm channel; the publication waits for the confirms.
    ///
    /// Throws ``EventTransportUnavailable`` (at once, or from the wait) when the connection is down or drops.
    public func startPublishing(_ events: [EventEnvelope]) async throws -> EventPublication {
        guard !events.isEmpty else { return EventPublication {} }
        let confirmation: AMQPPublishConfirmation
        do {
            confirmation = try await client.startPublishing(batch: events.map { AMQPEventCoding.message(for: $0, exchange: Self.exchange) })
        } catch let error as AMQPError {
            metrics.publishFailed(count: events.count)
            throw Self.classify(error)
        }
        let metrics = metrics
        return EventPublication {
            do {
                try await confirmation.settled()
                metrics.published(count: confirmation.count)
            } catch let error as AMQPError {
                metrics.publishFailed(count: confirmation.count)
                throw Self.classify(error)
            }
        }
    }

    /// Connection-level failures say nothing about the events: the relay retries them without counting an attempt.
    static func classify(_ error: AMQPError) -> any Error {
        switch error.code {
        case .connectionLost, .connectionClosed, .heartbeatTimeout, .clientClosed, .timeout:
            EventTransportUnavailable(reason: "\(error)")
        default:
            error
        }
    }
}
