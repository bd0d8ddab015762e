import AMQP
import Foundation
import Kernel
import Messaging
import Storage
import Synchronization
import TestSupport
import Testing

/// What the relay, the in-process transport and the sampler report, per consumer and per event type.
@Suite("Event metrics")
struct EventMetricsTests {
    @Test(arguments: DatabaseKind.available)
    func theRelayAndTheInProcessTransportReportEveryEvent(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, OutboxRelayTests.effects]) { db in
            let clock = ManualClock()
            let metrics = MetricsTally()
            let transport = InProcessEventTransport(
                processor: InboxProcessor(database: db, clock: clock), metrics: metrics, logger: TestDatabases.logger)
            transport.subscribe(OutboxRelayTests.recorder("notifications"))
            transport.subscribe(OutboxRelayTests.recorder("analytics", types: [Noted.type, Poison.type]))
            try await OutboxRelayTests.append(db, 250, clock: clock)
            try await db.transaction { tx in _ = try await Outbox.append(Poison(), at: clock.now(), in: tx) }
            let sampler = EventMetricsSampler(database: db, metrics: metrics, logger: TestDatabases.logger)
            await sampler.sample()
            #expect(metrics.tally.outboxPending == 251)

            // The events wait two seconds in the outbox: that is their lag.
            clock.advance(by: 2)
            var settings = OutboxRelay.Settings()
            settings.batchSize = 100
            let relay = OutboxRelay(
                database: db, transport: transport, clock: clock, settings: settings, metrics: metrics, logger: TestDatabases.logger)
            while try await relay.runOnce() > 0 {}
            await sampler.sample()

            let tally = metrics.tally
            #expect(tally.published == [Noted.type: 250, Poison.type: 1])
            #expect(tally.batches == 3)
            #expect(tally.handled == ["notifications": 250, "analytics": 251])
            #expect(tally.lags.count == 501 && tally.lags.allSatisfy { abs($0 - 2) < 0.01 })
            #expect(tally.outboxPending == 0)
            #expect(tally.failures.isEmpty && tally.relayFailures.isEmpty && tally.duplicates.isEmpty)
            #expect(tally.brokerConnected == nil, "no broker in process")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func failuresRetriesAndSetAsideEventsAreCounted(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set, OutboxRelayTests.effects]) { db in
            let clock = ManualClock()
            let metrics = MetricsTally()
            let transport = InProcessEventTransport(
                processor: InboxProcessor(database: db, clock: clock), metrics: metrics, logger: TestDatabases.logger)
            transport.subscribe(OutboxRelayTests.recorder("notifications", types: [Noted.type, Poison.type]))
            transport.subscribe(EventConsumer(name: "strict", types: [Poison.type]) { _, _ in throw HandlerFailure() })
            try await db.transaction { tx in
                _ = try await Outbox.append(Noted(n: 1), at: clock.now(), in: tx)
                _ = try await Outbox.append(Poison(), at: clock.now(), in: tx)
                _ = try await Outbox.append(Noted(n: 2), at: clock.now(), in: tx)
            }
            var settings = OutboxRelay.Settings()
            settings.maxAttempts = 3
            let relay = OutboxRelay(
                database: db, transport: transport, clock: clock, settings: settings, metrics: metrics, logger: TestDatabases.logger)
            try await relay.runOnce()
            for _ in 0..<5 {
                clock.advance(by: 400)
                try await relay.runOnce()
            }

            // Each of the three claims of the poison event fails twice: as a batch, then on its own. The first claim's
            // batch holds all three events, each consumer taking its share at once ("notifications" handles all three),
            // and is delivered again event by event, so "notifications" sees each again; then the poison event twice
            // per later claim.
            let tally = metrics.tally
            #expect(tally.failures == ["strict": 6])
            #expect(tally.relayFailures == [.rejected: 3 + 1 + 2 + 2])
            #expect(tally.setAside == 1)
            #expect(tally.published == [Noted.type: 2])
            #expect(tally.handled == ["notifications": 3])
            #expect(tally.duplicates == ["notifications": 3 + 2 + 2])
        }
    }

    @Test func combinedMetricsForwardEveryReport() {
        let first = EventStatistics()
        let second = MetricsTally()
        let combined = CombinedEventMetrics([first, second])
        combined.published([try! EventEnvelope(Noted(n: 1), at: Date())])
        combined.relayedBatch(size: 1)
        combined.relayFailed(.unavailable, count: 4)
        combined.setAside(count: 1)
        combined.outboxPending(7)
        combined.deadLetterMessages(consumer: "c", count: 2)
        combined.brokerConnected(false)
        let snapshot = first.snapshot()
        #expect(snapshot.published == 1 && snapshot.relayedBatches == 1 && snapshot.relayFailures == [.unavailable: 4])
        #expect(snapshot.setAside == 1 && snapshot.outboxPending == 7 && snapshot.deadLetterMessages == ["c": 2])
        #expect(snapshot.brokerConnected == false)
        let tally = second.tally
        #expect(tally.published == [Noted.type: 1] && tally.deadLetterMessages == ["c": 2] && tally.brokerConnected == false)
    }
}

/// The poison message in the dead-letter gauge, against a real broker.
@Suite(
    .serialized, .enabled(if: ProcessInfo.processInfo.environment["LASTMILE_TEST_AMQP_URL"] != nil, "set LASTMILE_TEST_AMQP_URL"),
    .timeLimit(.minutes(2)))
struct AMQPEventMetricsTests {
    @Test func aPoisonMessageShowsInTheDeadLetterGauge() async throws {
        let url = ProcessInfo.processInfo.environment["LASTMILE_TEST_AMQP_URL"]!
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, OutboxRelayTests.effects]) { db in
            let client = AMQPClient(configuration: try AMQPConfiguration(url: url), logger: TestDatabases.logger)
            let name = "amqp-dlq-metric-\(UUID().uuidString.prefix(8))"
            // Types of their own: the other suites' consumers, bound to `test.noted`, run at the same time on this broker.
            let consumer = EventConsumer(name: name, types: [Counted.type, CountedPoison.type]) { event, _ in
                if event.type == CountedPoison.type { throw HandlerFailure() }
            }
            let metrics = MetricsTally()
            var settings = AMQPEventConsumerRunner.Settings()
            settings.deliveryLimit = 1
            let runner = AMQPEventConsumerRunner(
                client: client, consumers: [consumer], processor: InboxProcessor(database: db), settings: settings, metrics: metrics,
                logger: TestDatabases.logger)
            let sampler = EventMetricsSampler(database: db, runner: runner, metrics: metrics, logger: TestDatabases.logger)
            await sampler.sample()
            #expect(metrics.tally.brokerConnected == false, "the client has not run yet")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                _ = try await client.waitForConnection()
                try await runner.declareTopology()
                group.addTask { try await runner.run() }
                await sampler.sample()
                #expect(metrics.tally.deadLetterMessages[name] == 0)
                #expect(metrics.tally.brokerConnected == true)

                let transport = try await AMQPEventTransport(client: client)
                try await db.transaction { tx in
                    for _ in 0..<10 { _ = try await Outbox.append(Counted(), at: Date(), in: tx) }
                    _ = try await Outbox.append(CountedPoison(), at: Date(), in: tx)
                    for _ in 0..<10 { _ = try await Outbox.append(Counted(), at: Date(), in: tx) }
                }
                let relay = OutboxRelay(database: db, transport: transport, metrics: metrics, logger: TestDatabases.logger)
                while try await relay.runOnce() > 0 {}
                while metrics.tally.deadLetterMessages[name] != 1 {
                    try await Task.sleep(for: .milliseconds(50))
                    await sampler.sample()
                }
                let tally = metrics.tally
                #expect(tally.handled[name] == 20)
                #expect(tally.failures[name] == settings.deliveryLimit + 1)
                #expect(tally.redelivered[name] == settings.deliveryLimit)
                #expect(tally.deadLettered[name] == 1, "the runner's count agrees with the queue")
                #expect(tally.published == [Counted.type: 20, CountedPoison.type: 1])
                #expect(tally.outboxPending == 0)
                group.cancelAll()
            }
            let connection = try await AMQPConnection.connect(configuration: try AMQPConfiguration(url: url))
            let channel = try await connection.openChannel()
            try await channel.queueDelete(name)
            try await channel.queueDelete(AMQPEventConsumerRunner.deadLetterQueue(for: name))
            await connection.close()
        }
    }
}

private struct Counted: DomainEvent {
    static let type = "test.metrics.counted"
    static let version = 1
}

private struct CountedPoison: DomainEvent {
    static let type = "test.metrics.poison"
    static let version = 1
}

/// Every report, kept per consumer and per event type.
final class MetricsTally: EventMetrics {
    struct Tally: Sendable {
        var published: [String: Int] = [:]
        var batches = 0
        var relayFailures: [RelayFailure: Int] = [:]
        var setAside = 0
        var outboxPending: Int?
        var handled: [String: Int] = [:]
        var lags: [Double] = []
        var duplicates: [String: Int] = [:]
        var redelivered: [String: Int] = [:]
        var failures: [String: Int] = [:]
        var deadLettered: [String: Int] = [:]
        var deadLetterMessages: [String: Int] = [:]
        var brokerConnected: Bool?
    }

    private let state = Mutex(Tally())

    var tally: Tally { state.withLock { $0 } }

    func published(count: Int) {}
    func publishFailed(count: Int) {}
    func published(_ events: [EventEnvelope]) { state.withLock { for event in events { $0.published[event.type, default: 0] += 1 } } }
    func relayedBatch(size: Int) { state.withLock { $0.batches += 1 } }
    func relayFailed(_ reason: RelayFailure, count: Int) { state.withLock { $0.relayFailures[reason, default: 0] += count } }
    func setAside(count: Int) { state.withLock { $0.setAside += count } }
    func outboxPending(_ count: Int) { state.withLock { $0.outboxPending = count } }
    func handled(consumer: String, lag: Double) {
        state.withLock {
            $0.handled[consumer, default: 0] += 1
            $0.lags.append(lag)
        }
    }
    func duplicate(consumer: String) { state.withLock { $0.duplicates[consumer, default: 0] += 1 } }
    func redelivered(consumer: String) { state.withLock { $0.redelivered[consumer, default: 0] += 1 } }
    func failed(consumer: String) { state.withLock { $0.failures[consumer, default: 0] += 1 } }
    func deadLettered(consumer: String) { state.withLock { $0.deadLettered[consumer, default: 0] += 1 } }
    func deadLetterMessages(consumer: String, count: Int) { state.withLock { $0.deadLetterMessages[consumer] = count } }
    func brokerConnected(_ connected: Bool) { state.withLock { $0.brokerConnected = connected } }
}
