import Kernel

/// Carries outbox events to their consumers: in process by default, RabbitMQ in a later transport.
public protocol EventTransport: Sendable {
    /// Delivers a batch in order; returns only when every event is accepted by the transport.
    /// A throw means "not delivered": the relay retries, and consumers' inboxes drop duplicates.
    func publish(_ events: [EventEnvelope]) async throws
}
