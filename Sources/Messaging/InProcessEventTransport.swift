import Foundation
import Kernel
import Logging
import Storage
import Synchronization

/// Delivers events to consumers in the same process, through their inboxes: the embedded default.
///
/// It reports the consumers' side to its metrics (handled with lag, duplicates, failures); the relay reports the rest.
public final class InProcessEventTransport: EventTransport {
    private let consumers = Mutex<[EventConsumer]>([])
    private let processor: InboxProcessor
    private let metrics: any EventMetrics
    private let logger: Logger

    /// Creates the transport over the database that holds the inbox.
    public init(processor: InboxProcessor, metrics: any EventMetrics = NoEventMetrics(), logger: Logger = Logger(label: "lastmile.events")) {
        self.processor = processor
        self.metrics = metrics
        self.logger = logger
    }

    /// Adds a consumer; it receives events published from now on.
    public func subscribe(_ consumer: EventConsumer) {
        consumers.withLock { $0.append(consumer) }
    }

    /// Hands the events to every consumer that wants their types, each consumer's share in delivery order and in one
    /// transaction (``InboxProcessor/process(batch:with:)``), so a relay batch costs a consumer one commit rather than
    /// one per event. Throws after trying every consumer if any failed; the relay then delivers the events one by one,
    /// and the inbox drops what a consumer already handled.
    public func publish(_ events: [EventEnvelope]) async throws {
        let consumers = consumers.withLock { $0 }
        var failures: [(event: String, message: String)] = []
        for consumer in consumers {
            let mine = events.filter { consumer.types.contains($0.type) }
            guard !mine.isEmpty else { continue }
            do {
                let ran =
                    mine.count == 1
                    ? [try await processor.process(mine[0], with: consumer)] : try await processor.process(batch: mine, with: consumer)
                let now = processor.clock.now()
                for (event, handled) in zip(mine, ran) {
                    if handled {
                        metrics.handled(consumer: consumer.name, lag: max(0, now.timeIntervalSince(event.occurredAt)))
                    } else {
                        metrics.duplicate(consumer: consumer.name)
                    }
                }
            } catch {
                metrics.failed(consumer: consumer.name)
                let failing = (error as? BatchHandlerFailure)?.index.map { mine[$0] } ?? mine[0]
                TraceContext.$current.withValue(failing.trace) {
                    logger.warning(
                        "consumer failed", metadata: ["consumer": "\(consumer.name)", "event_id": "\(failing.id)", "error": "\(error)"])
                }
                failures.append((failing.id, "\(consumer.name): \(error)"))
            }
        }
        if let first = failures.first { throw DeliveryFailed(eventID: first.event, failures: failures.map(\.message)) }
    }
}

/// One or more consumers failed on an event; the relay will deliver it again.
public struct DeliveryFailed: Error, Sendable, CustomStringConvertible {
    /// The event that failed.
    public var eventID: String
    /// `consumer: error` for each failure.
    public var failures: [String]

    /// A one-line summary.
    public var description: String { "delivery of \(eventID) failed: \(failures.joined(separator: "; "))" }
}
