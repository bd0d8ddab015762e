import Kernel
import Messaging
import Prometheus
import Synchronization

/// The event metrics on the Prometheus registry that `/metrics` renders, next to the HTTP metrics.
///
/// Publishing: `events_published_total{type}`, `events_relay_batches_total`, `events_relay_failures_total{reason}`,
/// `events_relay_set_aside_total`, `events_outbox_pending`. Consuming, per consumer:
/// `events_consumer_handled_total`, `events_consumer_duplicates_total`, `events_consumer_redelivered_total`,
/// `events_consumer_failures_total`, `events_consumer_dead_lettered_total`, `events_consumer_lag_seconds` (a histogram
/// of commit time minus `occurred_at`). With RabbitMQ: `events_dead_letter_messages{consumer}` (messages in
/// `<consumer>.dlq`, sampled) and `events_broker_connected`.
public final class PrometheusEventMetrics: EventMetrics {
    private struct ConsumerSeries: Sendable {
        var handled: Counter
        var duplicates: Counter
        var redelivered: Counter
        var failures: Counter
        var deadLettered: Counter
        var lag: ValueHistogram
    }

    private let registry: PrometheusCollectorRegistry
    /// The consumers known at start, looked up without a lock on the hot path.
    private let known: [String: ConsumerSeries]
    private let others = Mutex<[String: ConsumerSeries]>([:])
    private let published = Mutex<[String: Counter]>([:])
    private let deadLetterGauges = Mutex<[String: Gauge]>([:])
    private let relayBatches: Counter
    private let relayFailures: [RelayFailure: Counter]
    private let relaySetAside: Counter
    private let pending: Gauge

    /// Registers the metrics on `registry`, with a zeroed series for each of `consumers` so they show before any event.
    public init(registry: PrometheusCollectorRegistry, consumers: [String]) {
        self.registry = registry
        var known: [String: ConsumerSeries] = [:]
        for consumer in consumers { known[consumer] = Self.series(consumer, on: registry) }
        self.known = known
        relayBatches = registry.makeCounter(descriptor: Descriptors.relayBatches)
        relayFailures = Dictionary(
            uniqueKeysWithValues: RelayFailure.allCases.map {
                ($0, registry.makeCounter(descriptor: Descriptors.relayFailures, labels: [("reason", $0.rawValue)]))
            })
        relaySetAside = registry.makeCounter(descriptor: Descriptors.relaySetAside)
        pending = registry.makeGauge(descriptor: Descriptors.outboxPending)
    }

    /// Ignored: the relay reports the same events by type through ``published(_:)``.
    public func published(count: Int) {}
    /// Ignored: the relay reports failed attempts through ``relayFailed(_:count:)``.
    public func publishFailed(count: Int) {}

    /// Counts the events by type.
    public func published(_ events: [EventEnvelope]) {
        guard let first = events.first else { return }
        if events.allSatisfy({ $0.type == first.type }) {
            counter(forType: first.type).increment(by: Int64(events.count))
            return
        }
        var byType: [String: Int64] = [:]
        for event in events { byType[event.type, default: 0] += 1 }
        for (type, count) in byType { counter(forType: type).increment(by: count) }
    }

    /// See ``EventMetrics``.
    public func relayedBatch(size: Int) { relayBatches.increment() }
    /// See ``EventMetrics``.
    public func relayFailed(_ reason: RelayFailure, count: Int) { relayFailures[reason]?.increment(by: Int64(count)) }
    /// See ``EventMetrics``.
    public func setAside(count: Int) { relaySetAside.increment(by: Int64(count)) }
    /// See ``EventMetrics``.
    public func outboxPending(_ count: Int) { pending.set(Double(count)) }

    /// See ``EventMetrics``.
    public func handled(consumer: String, lag: Double) {
        let series = series(consumer)
        series.handled.increment()
        series.lag.record(lag)
    }
    /// See ``EventMetrics``.
    public func duplicate(consumer: String) { series(consumer).duplicates.increment() }
    /// See ``EventMetrics``.
    public func redelivered(consumer: String) { series(consumer).redelivered.increment() }
    /// See ``EventMetrics``.
    public func failed(consumer: String) { series(consumer).failures.increment() }
    /// See ``EventMetrics``.
    public func deadLettered(consumer: String) { series(consumer).deadLettered.increment() }

    /// See ``EventMetrics``.
    public func deadLetterMessages(consumer: String, count: Int) {
        let gauge = deadLetterGauges.withLock { gauges in
            if let gauge = gauges[consumer] { return gauge }
            let gauge = registry.makeGauge(descriptor: Descriptors.deadLetterMessages, labels: [("consumer", consumer)])
            gauges[consumer] = gauge
            return gauge
        }
        gauge.set(Double(count))
    }

    /// See ``EventMetrics``.
    public func brokerConnected(_ connected: Bool) {
        registry.makeGauge(descriptor: Descriptors.brokerConnected).set(connected ? 1.0 : 0.0)
    }

    private func counter(forType type: String) -> Counter {
        published.withLock { counters in
            if let counter = counters[type] { return counter }
            let counter = registry.makeCounter(descriptor: Descriptors.published, labels: [("type", type)])
            counters[type] = counter
            return counter
        }
    }

    private func series(_ consumer: String) -> ConsumerSeries {
        if let series = known[consumer] { return series }
        return others.withLock { others in
            if let series = others[consumer] { return series }
            let series = Self.series(consumer, on: registry)
            others[consumer] = series
            return series
        }
    }

    private static func series(_ consumer: String, on registry: PrometheusCollectorRegistry) -> ConsumerSeries {
        let labels = [("consumer", consumer)]
        return ConsumerSeries(
            handled: registry.makeCounter(descriptor: Descriptors.handled, labels: labels),
            duplicates: registry.makeCounter(descriptor: Descriptors.duplicates, labels: labels),
            redelivered: registry.makeCounter(descriptor: Descriptors.redelivered, labels: labels),
            failures: registry.makeCounter(descriptor: Descriptors.failures, labels: labels),
            deadLettered: registry.makeCounter(descriptor: Descriptors.deadLettered, labels: labels),
            lag: registry.makeValueHistogram(descriptor: Descriptors.lag, labels: labels, buckets: EventStatistics.lagBuckets))
    }
}

/// Names and help texts: one descriptor per metric, since the registry insists a name always has the same help.
/// (Computed: the descriptor type is not `Sendable`.)
private enum Descriptors {
    static var published: MetricNameDescriptor {
        .init(
            metricName: "events_published", unitName: "total", helpText: "Events the transport accepted (broker confirms, or in-process delivery)")
    }
    static var relayBatches: MetricNameDescriptor {
        .init(
            metricName: "events_relay_batches", unitName: "total", helpText: "Outbox batches the relay delivered")
    }
    static var relayFailures: MetricNameDescriptor {
        .init(
            metricName: "events_relay_failures", unitName: "total", helpText: "Events the relay failed to deliver on an attempt, by reason")
    }
    static var relaySetAside: MetricNameDescriptor {
        .init(
            metricName: "events_relay_set_aside", unitName: "total", helpText: "Events the relay set aside as dead after too many failed attempts")
    }
    static var outboxPending: MetricNameDescriptor {
        .init(
            metricName: "events_outbox", unitName: "pending", helpText: "Outbox events not yet delivered (sampled)")
    }
    static var handled: MetricNameDescriptor {
        .init(
            metricName: "events_consumer_handled", unitName: "total", helpText: "Events a consumer committed")
    }
    static var duplicates: MetricNameDescriptor {
        .init(
            metricName: "events_consumer_duplicates", unitName: "total", helpText: "Repeated events a consumer's inbox dropped")
    }
    static var redelivered: MetricNameDescriptor {
        .init(
            metricName: "events_consumer_redelivered", unitName: "total", helpText: "Deliveries the broker flagged as redelivered")
    }
    static var failures: MetricNameDescriptor {
        .init(
            metricName: "events_consumer_failures", unitName: "total", helpText: "Deliveries a consumer's handler failed on")
    }
    static var deadLettered: MetricNameDescriptor {
        .init(
            metricName: "events_consumer_dead_lettered", unitName: "total", helpText: "Messages a consumer refused for the last time")
    }
    static var lag: MetricNameDescriptor {
        .init(
            metricName: "events_consumer_lag", unitName: "seconds", helpText: "Time from an event's occurrence to its consumer's commit")
    }
    static var deadLetterMessages: MetricNameDescriptor {
        .init(
            metricName: "events_dead_letter", unitName: "messages", helpText: "Messages in a consumer's dead-letter queue (sampled)")
    }
    static var brokerConnected: MetricNameDescriptor {
        .init(
            metricName: "events_broker", unitName: "connected", helpText: "Whether the RabbitMQ connection is up (sampled)")
    }
}
