import Foundation
import Kernel
import Synchronization

/// What the outbox relay and the consumer runners report, for a metrics backend to export.
///
/// Messaging does not depend on a metrics package: the platform passes an implementation that feeds its Prometheus
/// registry, or ``EventStatistics`` and reads its counters. Calls come from many tasks at once and must be cheap.
/// The requirements after ``deadLettered(consumer:)`` have default implementations, so a conformance may skip them.
///
/// Who reports what: the ``OutboxRelay`` the publishing side (events accepted by type, batches, failures, events set
/// aside), the consumers' side (handled, duplicates, redeliveries, failures, lag) the ``AMQPEventConsumerRunner`` or
/// the ``InProcessEventTransport``, and ``EventMetricsSampler`` the gauges.
public protocol EventMetrics: Sendable {
    /// The broker confirmed `count` published events (the relay marks them sent next).
    func published(count: Int)
    /// The broker nacked, returned or lost `count` events before confirming them; the relay retries them.
    func publishFailed(count: Int)
    /// `consumer` committed an event; `lag` is its commit time minus the event's `occurred_at`, in seconds.
    func handled(consumer: String, lag: Double)
    /// `consumer` received an event its inbox already held (a repeat), and acknowledged it without running the handler.
    func duplicate(consumer: String)
    /// `consumer` received a message the broker delivered before (requeued after a failure or a lost connection).
    func redelivered(consumer: String)
    /// `consumer`'s handler failed; the message went back to its queue.
    func failed(consumer: String)
    /// `consumer` refused a message for what it counts as the last time (its delivery count reached the limit the
    /// runner was given): the queue dead-letters it into `<consumer>.dlq`. The broker decides, so this is an
    /// estimate; ``deadLetterMessages(consumer:count:)`` samples what the dead-letter queue really holds.
    func deadLettered(consumer: String)

    /// The transport accepted `events` (RabbitMQ confirmed them; in process, every consumer handled them). The
    /// default reports ``published(count:)``.
    func published(_ events: [EventEnvelope])
    /// The outbox relay handed a batch of `size` events over and the transport accepted all of them.
    func relayedBatch(size: Int)
    /// The outbox relay failed to deliver `count` events on one attempt, for `reason`; they stay in the outbox.
    func relayFailed(_ reason: RelayFailure, count: Int)
    /// The outbox relay gave up on `count` events after too many failed attempts and set them aside as dead.
    func setAside(count: Int)
    /// A periodic sample: events in the outbox not yet delivered (dead ones excluded).
    func outboxPending(_ count: Int)
    /// A periodic sample: messages waiting in `consumer`'s dead-letter queue, `<consumer>.dlq`.
    func deadLetterMessages(consumer: String, count: Int)
    /// A periodic sample: whether the broker connection is up.
    func brokerConnected(_ connected: Bool)
}

/// Why the outbox relay failed to deliver events on one attempt.
public enum RelayFailure: String, Sendable, CaseIterable {
    /// The transport was unavailable (the broker connection is down): the events went back to the outbox at once,
    /// without counting an attempt.
    case unavailable
    /// The transport refused them (a broker nack or return; in process, a consumer failed): retried with backoff.
    case rejected
    /// A relay pass failed, on the database say: its claimed events went back to the outbox.
    case error
}

extension EventMetrics {
    /// Reports ``published(count:)``.
    public func published(_ events: [EventEnvelope]) { published(count: events.count) }
    /// Ignored.
    public func relayedBatch(size: Int) {}
    /// Ignored.
    public func relayFailed(_ reason: RelayFailure, count: Int) {}
    /// Ignored.
    public func setAside(count: Int) {}
    /// Ignored.
    public func outboxPending(_ count: Int) {}
    /// Ignored.
    public func deadLetterMessages(consumer: String, count: Int) {}
    /// Ignored.
    public func brokerConnected(_ connected: Bool) {}
}

/// Metrics that go nowhere: the default.
public struct NoEventMetrics: EventMetrics {
    /// Creates it.
    public init() {}
    /// See ``EventMetrics``.
    public func published(count: Int) {}
    /// See ``EventMetrics``.
    public func publishFailed(count: Int) {}
    /// See ``EventMetrics``.
    public func handled(consumer: String, lag: Double) {}
    /// See ``EventMetrics``.
    public func duplicate(consumer: String) {}
    /// See ``EventMetrics``.
    public func redelivered(consumer: String) {}
    /// See ``EventMetrics``.
    public func failed(consumer: String) {}
    /// See ``EventMetrics``.
    public func deadLettered(consumer: String) {}
}

/// In-memory counters and a lag histogram, summed over all consumers; read them with ``snapshot()``.
public final class EventStatistics: EventMetrics {
    /// The counters at one moment.
    public struct Snapshot: Sendable, Hashable {
        /// Events the broker confirmed.
        public var published = 0
        /// Events the broker did not confirm (nacked, returned, or lost with the connection).
        public var publishFailed = 0
        /// Events consumers committed.
        public var handled = 0
        /// Repeats the inboxes dropped.
        public var duplicates = 0
        /// Deliveries flagged redelivered.
        public var redelivered = 0
        /// Handler failures (messages requeued).
        public var failed = 0
        /// Messages refused for the last time (dead-lettered).
        public var deadLettered = 0
        /// Batches the relay delivered.
        public var relayedBatches = 0
        /// Events the relay failed to deliver, by reason (an event counts once per failed attempt).
        public var relayFailures: [RelayFailure: Int] = [:]
        /// Events the relay set aside as dead.
        public var setAside = 0
        /// The last sample of undelivered outbox events.
        public var outboxPending: Int?
        /// The last sample of each consumer's dead-letter queue.
        public var deadLetterMessages: [String: Int] = [:]
        /// The last sample of the broker connection.
        public var brokerConnected: Bool?
        /// How many handled events' lag fell at or under each bound of ``EventStatistics/lagBuckets`` (cumulative).
        public var lagBucketCounts: [Int] = []
        /// The sum of the handled events' lag, in seconds.
        public var lagSum = 0.0
        /// The largest lag seen, in seconds.
        public var lagMax = 0.0
    }

    /// Upper bounds of the lag histogram, in seconds (Prometheus `le` buckets).
    public static let lagBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private let state = Mutex(Snapshot(lagBucketCounts: Array(repeating: 0, count: EventStatistics.lagBuckets.count)))

    /// Creates zeroed statistics.
    public init() {}

    /// The counters now.
    public func snapshot() -> Snapshot { state.withLock { $0 } }

    /// See ``EventMetrics``.
    public func published(count: Int) { state.withLock { $0.published += count } }
    /// See ``EventMetrics``.
    public func publishFailed(count: Int) { state.withLock { $0.publishFailed += count } }
    /// See ``EventMetrics``.
    public func duplicate(consumer: String) { state.withLock { $0.duplicates += 1 } }
    /// See ``EventMetrics``.
    public func redelivered(consumer: String) { state.withLock { $0.redelivered += 1 } }
    /// See ``EventMetrics``.
    public func failed(consumer: String) { state.withLock { $0.failed += 1 } }
    /// See ``EventMetrics``.
    public func deadLettered(consumer: String) { state.withLock { $0.deadLettered += 1 } }
    /// See ``EventMetrics``.
    public func relayedBatch(size: Int) { state.withLock { $0.relayedBatches += 1 } }
    /// See ``EventMetrics``.
    public func relayFailed(_ reason: RelayFailure, count: Int) { state.withLock { $0.relayFailures[reason, default: 0] += count } }
    /// See ``EventMetrics``.
    public func setAside(count: Int) { state.withLock { $0.setAside += count } }
    /// See ``EventMetrics``.
    public func outboxPending(_ count: Int) { state.withLock { $0.outboxPending = count } }
    /// See ``EventMetrics``.
    public func deadLetterMessages(consumer: String, count: Int) { state.withLock { $0.deadLetterMessages[consumer] = count } }
    /// See ``EventMetrics``.
    public func brokerConnected(_ connected: Bool) { state.withLock { $0.brokerConnected = connected } }

    /// See ``EventMetrics``.
    public func handled(consumer: String, lag: Double) {
        let bucket = Self.lagBuckets.firstIndex { lag <= $0 }
        state.withLock { state in
            state.handled += 1
            state.lagSum += lag
            state.lagMax = max(state.lagMax, lag)
            if let bucket {
                for index in bucket..<state.lagBucketCounts.count { state.lagBucketCounts[index] += 1 }
            }
        }
    }
}

/// Sends every report to each of several metrics.
public struct CombinedEventMetrics: EventMetrics {
    private let all: [any EventMetrics]

    /// Combines `metrics`.
    public init(_ metrics: [any EventMetrics]) { self.all = metrics }

    /// See ``EventMetrics``.
    public func published(count: Int) { for metrics in all { metrics.published(count: count) } }
    /// See ``EventMetrics``.
    public func publishFailed(count: Int) { for metrics in all { metrics.publishFailed(count: count) } }
    /// See ``EventMetrics``.
    public func handled(consumer: String, lag: Double) { for metrics in all { metrics.handled(consumer: consumer, lag: lag) } }
    /// See ``EventMetrics``.
    public func duplicate(consumer: String) { for metrics in all { metrics.duplicate(consumer: consumer) } }
    /// See ``EventMetrics``.
    public func redelivered(consumer: String) { for metrics in all { metrics.redelivered(consumer: consumer) } }
    /// See ``EventMetrics``.
    public func failed(consumer: String) { for metrics in all { metrics.failed(consumer: consumer) } }
    /// See ``EventMetrics``.
    public func deadLettered(consumer: String) { for metrics in all { metrics.deadLettered(consumer: consumer) } }
    /// See ``EventMetrics``.
    public func published(_ events: [EventEnvelope]) { for metrics in all { metrics.published(events) } }
    /// See ``EventMetrics``.
    public func relayedBatch(size: Int) { for metrics in all { metrics.relayedBatch(size: size) } }
    /// See ``EventMetrics``.
    public func relayFailed(_ reason: RelayFailure, count: Int) { for metrics in all { metrics.relayFailed(reason, count: count) } }
    /// See ``EventMetrics``.
    public func setAside(count: Int) { for metrics in all { metrics.setAside(count: count) } }
    /// See ``EventMetrics``.
    public func outboxPending(_ count: Int) { for metrics in all { metrics.outboxPending(count) } }
    /// See ``EventMetrics``.
    public func deadLetterMessages(consumer: String, count: Int) {
        for metrics in all { metrics.deadLetterMessages(consumer: consumer, count: count) }
    }
    /// See ``EventMetrics``.
    public func brokerConnected(_ connected: Bool) { for metrics in all { metrics.brokerConnected(connected) } }
}
