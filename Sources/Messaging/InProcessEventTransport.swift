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

    /// Hands each event to every consumer that wants its type; throws after trying them all if any failed.
    public func publish(_ events: [EventEnvelope]) async throws {
        let consumers = consumers.withLock { $0 }
        var failures: [String] = []
        for event in events {
            for consumer in consumers where consumer.types.contains(event.type) {
                do {
                    if try await processor.process(event, with: consumer) {
                        metrics.handled(consumer: consumer.name, lag: max(0, processor.clock.now().timeIntervalSince(event.occurredAt)))
                    } else {
                        metrics.duplicate(consumer: consumer.name)
                    }
                } catch {
                    metrics.failed(consumer: consumer.name)
                    TraceContext.$current.withValue(event.trace) {
                        logger.warning(
                            "consumer failed", metadata: ["consumer": "\(consumer.name)", "event_id": "\(event.id)", "error": "\(error)"])
                    }
                    failures.append("\(consumer.name): \(error)")
                }
            }
            if !failures.isEmpty { throw DeliveryFailed(eventID: event.id, failures: failures) }
        }
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
