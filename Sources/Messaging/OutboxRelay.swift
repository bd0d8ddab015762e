import Foundation
import Kernel
import Logging
import ServiceLifecycle
import Storage

/// Moves events from the outbox to the transport, at least once and in outbox order.
///
/// Each batch is claimed under a lease, published, then marked. A relay that dies between publishing and
/// marking leaves the lease to run out; the next claim publishes again and consumers' inboxes drop the repeat.
///
/// It reports to its metrics the events the transport accepted (by type), the batches, the failed attempts by
/// reason, and the events it set aside.
public final class OutboxRelay: Service {
    /// How the relay paces itself.
    public struct Settings: Sendable {
        /// Events per claim.
        public var batchSize = 500
        /// How long a claim holds its events.
        public var lease: TimeInterval = 30
        /// Pause between polls when the outbox is empty.
        public var idleInterval: Duration = .milliseconds(100)
        /// Pause between polls when the outbox ran dry less than ``idleInterval`` ago (events are flowing).
        public var busyPollInterval: Duration = .milliseconds(5)
        /// How often a claim scans the whole outbox rather than only near the newest events claimed so far.
        public var fullScanInterval: Duration = .seconds(1)
        /// Delivery attempts before an event is set aside as dead.
        public var maxAttempts = 10
        /// Batches handed to the transport before the oldest one's acceptance is awaited (pipelining).
        public var inFlightBatches = 4
        /// Pause after the transport reported itself unavailable.
        public var unavailablePause: Duration = .milliseconds(500)

        /// Default settings.
        public init() {}
    }

    private let store: OutboxStore
    private let transport: any EventTransport
    private let clock: any WallClock
    private let settings: Settings
    private let owner = UUID().uuidString
    private let metrics: any EventMetrics
    private let logger: Logger

    /// Creates a relay.
    public init(
        database: any Database, transport: any EventTransport, clock: any WallClock = SystemClock(), settings: Settings = Settings(),
        metrics: any EventMetrics = NoEventMetrics(), logger: Logger = Logger(label: "lastmile.outbox")
    ) {
        self.store = OutboxStore(database: database)
        self.transport = transport
        self.clock = clock
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
    }

    /// Relays until cancelled (graceful shutdown).
    ///
    /// Pipelined: up to ``Settings/inFlightBatches`` claimed batches are handed to the transport, in outbox order,
    /// before the oldest one's acceptance (the broker's confirms) is awaited; each batch is marked sent only after
    /// it was accepted. A batch that fails is retried event by event; when the transport is unavailable every batch
    /// in flight goes back to the outbox and the relay pauses.
    public func run() async throws {
        var inFlight: [(items: [OutboxItem], publication: EventPublication)] = []
        var lastWork = ContinuousClock.now - settings.idleInterval
        var newestClaimed: Int64 = 0
        var lastFullScan = ContinuousClock.now
        while !Task.isCancelled {
            do {
                var claimed = 0
                if inFlight.count < max(1, settings.inFlightBatches) {
                    // Claims look only a little behind the newest event claimed so far (events of transactions that
                    // committed late), not again past every event already handled, whose index entries stay until
                    // vacuum; now and then a full scan picks up the rest (retries, expired leases).
                    let fullScan = ContinuousClock.now - lastFullScan >= settings.fullScanInterval
                    if fullScan { lastFullScan = ContinuousClock.now }
                    let after = fullScan ? nil : max(0, newestClaimed - Int64(settings.batchSize * max(1, settings.inFlightBatches) * 2))
                    let items = try await store.claim(
                        limit: settings.batchSize, owner: owner, lease: settings.lease, now: clock.now(), after: after)
                    claimed = items.count
                    newestClaimed = max(newestClaimed, items.last?.sequence ?? 0)
                    if !items.isEmpty {
                        do {
                            inFlight.append((items, try await transport.startPublishing(items.map(\.envelope))))
                        } catch is CancellationError {
                            throw CancellationError()
                        } catch {
                            try await settle(items, error)
                        }
                    }
                }
                // Settle the oldest batch when the pipeline is full or the outbox ran dry for now.
                if !inFlight.isEmpty, claimed == 0 || inFlight.count >= max(1, settings.inFlightBatches) {
                    let (items, publication) = inFlight.removeFirst()
                    do {
                        try await publication.accepted()
                        try await store.markPublished(items, at: clock.now())
                        delivered(items, batch: true)
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        try await settle(items, error)
                    }
                }
                if claimed > 0 { lastWork = ContinuousClock.now }
                if claimed == 0 && inFlight.isEmpty {
                    // While events flow, poll again soon: a full idle interval would add to every event's lag.
                    let busy = ContinuousClock.now - lastWork < settings.idleInterval
                    try await Task.sleep(for: busy ? min(settings.busyPollInterval, settings.idleInterval) : settings.idleInterval)
                }
            } catch is CancellationError {
                break
            } catch let error as EventTransportUnavailable {
                // Every batch in flight shares the fate of the connection: back to the outbox, all of them.
                for (items, _) in inFlight { try? await store.release(items) }
                metrics.relayFailed(.unavailable, count: inFlight.reduce(0) { $0 + $1.items.count })
                inFlight.removeAll()
                logger.warning("event transport unavailable; pausing the relay", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: settings.unavailablePause)
            } catch {
                for (items, _) in inFlight { try? await store.release(items) }
                metrics.relayFailed(.error, count: inFlight.reduce(0) { $0 + $1.items.count })
                inFlight.removeAll()
                logger.error("outbox relay pass failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
        // Stopped: whatever is still in flight goes back (published or not, the inboxes drop repeats).
        for (items, _) in inFlight { try? await store.release(items) }
    }

    /// Claims one batch and delivers it; returns how many events it handled.
    @discardableResult
    public func runOnce() async throws -> Int {
        let items = try await store.claim(limit: settings.batchSize, owner: owner, lease: settings.lease, now: clock.now())
        guard !items.isEmpty else { return 0 }
        do {
            try await transport.publish(items.map(\.envelope))
            try await store.markPublished(items, at: clock.now())
            delivered(items, batch: true)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            try await settle(items, error)
        }
        return items.count
    }

    private func delivered(_ items: [OutboxItem], batch: Bool) {
        metrics.published(items.map(\.envelope))
        if batch { metrics.relayedBatch(size: items.count) }
    }

    /// A batch was not accepted: if the transport is unavailable, the events go back to the outbox and the error
    /// rises (the caller pauses); otherwise they are retried one by one.
    private func settle(_ items: [OutboxItem], _ error: any Error) async throws {
        if error is EventTransportUnavailable {
            metrics.relayFailed(.unavailable, count: items.count)
            try await store.release(items)
            throw error
        }
        metrics.relayFailed(.rejected, count: items.count)
        try await deliverOneByOne(items)
    }

    /// After a batch failed, delivers its events singly so one poison event does not hold back the rest.
    private func deliverOneByOne(_ items: [OutboxItem]) async throws {
        for item in items {
            do {
                try await transport.publish([item.envelope])
                try await store.markPublished([item], at: clock.now())
                delivered([item], batch: false)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                metrics.relayFailed(error is EventTransportUnavailable ? .unavailable : .rejected, count: 1)
                let dead = item.attempt >= settings.maxAttempts
                let backoff = min(300, pow(2, Double(item.attempt)))
                try await store.markFailed(item, error: "\(error)", retryAt: clock.now().addingTimeInterval(backoff), dead: dead, now: clock.now())
                if dead { metrics.setAside(count: 1) }
                logger.warning(
                    dead ? "event set aside after repeated failures" : "event delivery failed; will retry",
                    metadata: ["event_id": "\(item.envelope.id)", "type": "\(item.envelope.type)", "attempt": "\(item.attempt)"])
            }
        }
    }
}
