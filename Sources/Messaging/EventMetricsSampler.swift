import Logging
import ServiceLifecycle
import Storage

/// Samples the event gauges on a timer, as a `Service`: undelivered outbox events, and with RabbitMQ the broker
/// connection and the messages in each consumer's dead-letter queue.
///
/// Each sample is one `COUNT(*)` over the outbox's pending index and, while connected, one passive `queue.declare` per
/// dead-letter queue on a short-lived channel: cheap at any interval a scraper would use. A sample that fails leaves
/// the previous values in place (the broker gauge still drops to 0).
public final class EventMetricsSampler: Service {
    private let store: OutboxStore
    private let runner: AMQPEventConsumerRunner?
    private let metrics: any EventMetrics
    private let interval: Duration
    private let logger: Logger

    /// Creates the sampler; `runner` is nil when events travel in process.
    public init(
        database: any Database, runner: AMQPEventConsumerRunner? = nil, metrics: any EventMetrics, interval: Duration = .seconds(10),
        logger: Logger = Logger(label: "lastmile.events.metrics")
    ) {
        self.store = OutboxStore(database: database)
        self.runner = runner
        self.metrics = metrics
        self.interval = interval
        self.logger = logger
    }

    /// Samples now, then every interval, until graceful shutdown or cancellation.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.sample()
                do {
                    try await Task.sleep(for: self.interval)
                } catch {
                    return
                }
            }
        }
    }

    /// Takes one sample of every gauge.
    public func sample() async {
        do {
            metrics.outboxPending(try await store.pendingCount())
        } catch {
            logger.debug("cannot count the outbox's pending events", metadata: ["error": "\(error)"])
        }
        guard let runner else { return }
        let connected = runner.isConnected
        metrics.brokerConnected(connected)
        guard connected else { return }
        do {
            for (consumer, count) in try await runner.deadLetterCounts() {
                metrics.deadLetterMessages(consumer: consumer, count: count)
            }
        } catch is CancellationError {
            return
        } catch {
            logger.debug("cannot count the dead-letter queues", metadata: ["error": "\(error)"])
        }
    }
}
