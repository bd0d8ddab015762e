import Kernel

/// Carries outbox events to their consumers: in process by default, or through RabbitMQ.
public protocol EventTransport: Sendable {
    /// Delivers a batch in order; returns only when every event is accepted by the transport.
    /// A throw means "not delivered": the relay retries, and consumers' inboxes drop duplicates.
    func publish(_ events: [EventEnvelope]) async throws

    /// Hands a batch over in order and returns before the transport accepted it: ``EventPublication/accepted()``
    /// waits for that. Batches started one after another go out in that order, so the relay keeps several in flight.
    /// The default publishes and waits.
    func startPublishing(_ events: [EventEnvelope]) async throws -> EventPublication
}

extension EventTransport {
    /// Publishes and waits, for transports with no pipelining.
    public func startPublishing(_ events: [EventEnvelope]) async throws -> EventPublication {
        try await publish(events)
        return EventPublication {}
    }
}

/// A batch on its way: ``accepted()`` returns once the transport took every event of it.
public struct EventPublication: Sendable {
    private let wait: @Sendable () async throws -> Void

    /// Wraps the wait for the transport's acceptance.
    public init(_ wait: @escaping @Sendable () async throws -> Void) { self.wait = wait }

    /// Waits until every event of the batch is accepted; throws, as ``EventTransport/publish(_:)`` does, if not.
    public func accepted() async throws { try await wait() }
}

/// The transport cannot take events right now (say, the broker connection is down); nothing is wrong with the events.
/// The relay gives them back to the outbox without counting an attempt, and tries again after a pause.
public struct EventTransportUnavailable: Error, Sendable, CustomStringConvertible {
    /// Why, e.g. the connection error.
    public var reason: String

    /// Creates the error.
    public init(reason: String) { self.reason = reason }

    /// A one-line summary.
    public var description: String { "event transport unavailable: \(reason)" }
}
