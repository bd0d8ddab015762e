import Foundation
import Kernel
import Logging
import ServiceLifecycle
import Storage

/// Moves events from the outbox to the transport, at least once and in outbox order.
///
/// Each batch is claimed under a lease, published, then marked. A relay that dies between publishing and
/// marking leaves the lease to run out; the next claim publishes again and consumers' inboxes drop the repeat.
public final class OutboxRelay: Service {
    /// How the relay paces itself.
    public struct Settings: Sendable {
        /// Events per claim.
        public var batchSize = 200
        /// How long a claim holds its events.
        public var lease: TimeInterval = 30
        /// Pause between polls when the outbox is empty.
        public var idleInterval: Duration = .milliseconds(100)
        /// Delivery attempts before an event is set aside as dead.
        public var maxAttempts = 10

        /// Default settings.
        public init() {}
    }

    private let store: OutboxStore
    private let transport: any EventTransport
    private let clock: any WallClock
    private let settings: Settings
    private let owner = UUID().uuidString
    private let logger: Logger

    /// Creates a relay.
    public init(
        database: any Database, transport: any EventTransport, clock: any WallClock = SystemClock(), settings: Settings = Settings(),
        logger: Logger = Logger(label: "lastmile.outbox")
    ) {
        self.store = OutboxStore(database: database)
        self.transport = transport
        self.clock = clock
        self.settings = settings
        self.logger = logger
    }

    /// Relays until cancelled (graceful shutdown).
    public func run() async throws {
        while !Task.isCancelled {
            do {
                let count = try await runOnce()
                if count == 0 { try await Task.sleep(for: settings.idleInterval) }
            } catch is CancellationError {
                return
            } catch {
                logger.error("outbox relay pass failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Claims one batch and delivers it; returns how many events it handled.
    @discardableResult
    public func runOnce() async throws -> Int {
        let items = try await store.claim(limit: settings.batchSize, owner: owner, lease: settings.lease, now: clock.now())
        guard !items.isEmpty else { return 0 }
        do {
            try await transport.publish(items.map(\.envelope))
            try await store.markPublished(items, at: clock.now())
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            try await deliverOneByOne(items)
        }
        return items.count
    }

    /// After a batch failed, delivers its events singly so one poison event does not hold back the rest.
    private func deliverOneByOne(_ items: [OutboxItem]) async throws {
        for item in items {
            do {
                try await transport.publish([item.envelope])
                try await store.markPublished([item], at: clock.now())
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let dead = item.attempt >= settings.maxAttempts
                let backoff = min(300, pow(2, Double(item.attempt)))
                try await store.markFailed(item, error: "\(error)", retryAt: clock.now().addingTimeInterval(backoff), dead: dead, now: clock.now())
                logger.warning(
                    dead ? "event set aside after repeated failures" : "event delivery failed; will retry",
                    metadata: ["event_id": "\(item.envelope.id)", "type": "\(item.envelope.type)", "attempt": "\(item.attempt)"])
            }
        }
    }
}
