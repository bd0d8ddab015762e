import AMQP
import ArgumentParser
import Foundation
import Kernel
import Logging
import Messaging
import NIOCore
import Storage
import Synchronization

/// `lastmile-bench events`: our AMQP client's raw publish rate with confirms (`--mode publish`), or events end to end
/// (`--mode e2e`): outbox on PostgreSQL → ``OutboxRelay`` → RabbitMQ with confirms → ``AMQPEventConsumerRunner`` →
/// inbox and a handler's insert, with the lag of every event (consumer commit time − `occurred_at`).
struct EventsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Raw AMQP publish rate with confirms, or events through outbox → RabbitMQ → consumer with inbox."
    )

    @Option(help: "publish (raw publishes with confirms) or e2e (outbox → relay → RabbitMQ → consumer).")
    var mode: String = "e2e"

    @Option(help: "RabbitMQ URL (amqp://user:password@host:port/vhost).")
    var amqpURL: String

    @Option(help: "PostgreSQL URL, a database of its own (e2e).")
    var postgresURL: String?

    @Option(help: "Messages to publish, or events to send end to end.")
    var count: Int = 100_000

    @Option(help: "e2e: events appended to the outbox per second (0 appends them all before the relay starts).")
    var rate: Int = 6_000

    @Option(help: "publish: messages per batch handed to the connection at once.")
    var batch: Int = 500

    @Option(help: "publish: batches in flight (unconfirmed) at once.")
    var inFlight: Int = 4

    @Option(help: "Body size in bytes.")
    var bodySize: Int = 300

    @Option(help: "e2e: the handler: single (one INSERT per event) or batch (one multi-row INSERT per consumer batch).")
    var handler: String = "single"

    @Option(help: "e2e: consumer workers (concurrent batches).")
    var workers: Int = AMQPEventConsumerRunner.Settings().concurrency

    @Option(help: "e2e: deliveries per consumer batch at most.")
    var consumerBatch: Int = AMQPEventConsumerRunner.Settings().batchSize

    @Option(help: "e2e: consumer prefetch.")
    var prefetch: Int = Int(AMQPEventConsumerRunner.Settings().prefetch)

    func validate() throws {
        guard ["publish", "e2e"].contains(mode) else { throw ValidationError("--mode must be publish or e2e") }
        guard ["single", "batch"].contains(handler) else { throw ValidationError("--handler must be single or batch") }
        guard count > 0, batch > 0, inFlight > 0, bodySize >= 0, rate >= 0 else { throw ValidationError("sizes must be positive") }
        if mode == "e2e" && postgresURL == nil { throw ValidationError("--postgres-url is required for e2e") }
    }

    func run() async throws {
        var logger = Logger(label: "lastmile-bench.events")
        logger.logLevel = .warning
        let client = AMQPClient(configuration: try AMQPConfiguration(url: amqpURL), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            guard try await client.waitForConnection() != nil else { throw CleanExit.message("no RabbitMQ connection") }
            if mode == "publish" {
                try await publish(client)
            } else {
                try await endToEnd(client, logger: logger)
            }
            group.cancelAll()
        }
    }

    /// The queue both publishers (ours and pika's) fill: quorum, like consumers' queues, capped so runs do not pile up.
    static let publishQueue = "bench.publish"

    private func publish(_ client: AMQPClient) async throws {
        guard let connection = try await client.waitForConnection() else { return }
        let setup = try await connection.openChannel()
        try await setup.queueDeclare(Self.publishQueue, durable: true, arguments: ["x-queue-type": "quorum", "x-max-length": .int64(100_000)])
        try await setup.queuePurge(Self.publishQueue)
        try await setup.close()
        let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: bodySize)
        let message = { (n: Int) in
            AMQPOutboundMessage(
                exchange: "", routingKey: Self.publishQueue,
                message: AMQPMessage(properties: AMQPBasicProperties(deliveryMode: 2, messageID: "m\(n)"), body: body))
        }
        // Warm-up.
        try await client.publish(batch: (0..<min(count, 2_000)).map(message))
        let clock = ContinuousClock()
        let start = clock.now
        var pending: [AMQPPublishConfirmation] = []
        var sent = 0
        while sent < count {
            let size = min(batch, count - sent)
            pending.append(try await client.startPublishing(batch: (sent..<sent + size).map(message)))
            sent += size
            if pending.count >= inFlight { try await pending.removeFirst().settled() }
        }
        for confirmation in pending { try await confirmation.settled() }
        let seconds = secondsIn(clock.now - start)
        note("published \(count) messages of \(bodySize) bytes with confirms in \(String(format: "%.2f", seconds)) s")
        print(
            "mode=publish messages=\(count) batch=\(batch) in_flight=\(inFlight) seconds=\(String(format: "%.3f", seconds)) "
                + "messages_per_second=\(formatRate(Double(count) / seconds))")
    }

    private func endToEnd(_ client: AMQPClient, logger: Logger) async throws {
        let database = try PostgresDatabase(url: postgresURL!, maxConnections: 24, logger: logger)
        try await DatabaseFactory.run(database) { db in
            _ = try await Migrator(database: db, logger: logger).migrate([StorageMigrations.set, Self.effects])
            try await db.query("TRUNCATE outbox_events, inbox_events, bench_effects", [])
            try await runEndToEnd(client, db, logger: logger)
        }
    }

    static let effects = MigrationSet(
        service: "bench",
        migrations: [SQLMigration("CreateBenchEffects", ["CREATE TABLE bench_effects (event_id TEXT NOT NULL, n BIGINT NOT NULL)"])])

    private func runEndToEnd(_ client: AMQPClient, _ db: any Database, logger: Logger) async throws {
        let consumerName = "bench-consumer"
        let consumer =
            handler == "batch"
            ? EventConsumer.batched(name: consumerName, types: [BenchEvent.type], handleBatch: Self.insertEffects)
            : EventConsumer(name: consumerName, types: [BenchEvent.type]) { event, tx in
                try await tx.query("INSERT INTO bench_effects (event_id, n) VALUES ($1, $2)", event.id, try event.decode(BenchEvent.self).n)
            }
        let lags = LagRecorder(expected: count)
        let statistics = EventStatistics()
        let metrics = CombinedEventMetrics([lags, statistics])
        var settings = AMQPEventConsumerRunner.Settings()
        settings.concurrency = workers
        settings.batchSize = consumerBatch
        settings.prefetch = UInt16(clamping: prefetch)
        let runner = AMQPEventConsumerRunner(
            client: client, consumers: [consumer], processor: InboxProcessor(database: db), settings: settings, metrics: metrics, logger: logger)
        try await runner.declareTopology()
        // Start from an empty queue.
        if let connection = try await client.waitForConnection() {
            let channel = try await connection.openChannel()
            try await channel.queuePurge(consumerName)
            try await channel.close()
        }
        let transport = try await AMQPEventTransport(client: client, metrics: metrics)
        let relay = OutboxRelay(database: db, transport: transport, logger: logger)
        let padding = String(repeating: "x", count: max(0, bodySize - 40))

        let clock = ContinuousClock()
        let wallStart = Date()
        let start = clock.now
        if rate == 0 {
            try await append(db, from: 0, count: count, padding: padding)
            note("appended \(count) events in \(String(format: "%.2f", secondsIn(clock.now - start))) s; relaying")
        }
        let relayStart = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await relay.run() }
            group.addTask { try await runner.run() }
            if rate > 0 {
                group.addTask { try await self.produce(db, padding: padding) }
            }
            var lastReport = clock.now
            while lags.count < count {
                try await Task.sleep(for: .milliseconds(20))
                if clock.now - lastReport >= .seconds(2) {
                    lastReport = clock.now
                    let pending = try await OutboxStore(database: db).pendingCount()
                    note("  \(String(format: "%.1f", secondsIn(clock.now - start))) s: handled \(lags.count), outbox pending \(pending)")
                }
            }
            group.cancelAll()
        }
        let end = lags.lastCommit ?? Date()
        let seconds = rate == 0 ? secondsIn(clock.now - relayStart) : end.timeIntervalSince(wallStart)
        let handled = try await db.first("SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS d FROM bench_effects")
        let inbox = try await db.first("SELECT COUNT(*) AS n FROM inbox_events WHERE consumer = $1", consumerName)?.int("n") ?? 0
        let pending = try await OutboxStore(database: db).pendingCount()
        let effects = try handled?.int("n") ?? 0
        let distinct = try handled?.int("d") ?? 0
        let sorted = lags.sorted()
        let snapshot = statistics.snapshot()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] * 1000
        }
        note(
            "e2e: \(count) events in \(String(format: "%.2f", seconds)) s; effects \(effects) (distinct \(distinct)), inbox \(inbox), "
                + "outbox pending \(pending); published \(snapshot.published), duplicates \(snapshot.duplicates), redelivered \(snapshot.redelivered)"
        )
        print(
            "mode=e2e handler=\(handler) events=\(count) offered_rate=\(rate) seconds=\(String(format: "%.3f", seconds)) "
                + "events_per_second=\(formatRate(Double(count) / seconds)) "
                + "lag_p50_ms=\(String(format: "%.1f", percentile(0.5))) lag_p99_ms=\(String(format: "%.1f", percentile(0.99))) "
                + "lag_max_ms=\(String(format: "%.1f", sorted.last.map { $0 * 1000 } ?? 0)) "
                + "effects=\(effects) distinct_effects=\(distinct) inbox=\(inbox) outbox_pending=\(pending) "
                + "published=\(snapshot.published) duplicates=\(snapshot.duplicates) redelivered=\(snapshot.redelivered) "
                + "exactly_once=\(effects == count && distinct == count && inbox == count ? "yes" : "no")")
    }

    /// The batch handler: one multi-row INSERT for the batch's new events.
    @Sendable static func insertEffects(_ events: [EventEnvelope], _ tx: any SQLExecutor) async throws {
        var values: [SQLValue] = []
        var rows: [String] = []
        for event in events {
            rows.append("($\(values.count + 1), $\(values.count + 2))")
            values += [.text(event.id), .integer(Int64(try event.decode(BenchEvent.self).n))]
        }
        try await tx.query("INSERT INTO bench_effects (event_id, n) VALUES \(rows.joined(separator: ", "))", values)
    }

    /// Appends events at `rate` per second, in one transaction per 10 ms tick, with `occurred_at` = now.
    private func produce(_ db: any Database, padding: String) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var appended = 0
        while appended < count {
            let due = min(count, Int(secondsIn(clock.now - start) * Double(rate)) + 1)
            if due > appended {
                try await append(db, from: appended, count: due - appended, padding: padding)
                appended = due
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Appends events `from..<from+count` with multi-row inserts (the producer is not what is measured).
    private func append(_ db: any Database, from first: Int, count: Int, padding: String) async throws {
        for chunkStart in stride(from: first, to: first + count, by: 500) {
            let chunkEnd = min(first + count, chunkStart + 500)
            let now = Date()
            var values: [SQLValue] = []
            var rows: [String] = []
            for n in chunkStart..<chunkEnd {
                let envelope = try EventEnvelope(BenchEvent(n: n, padding: padding), at: now)
                let base = values.count
                rows.append("($\(base + 1), $\(base + 2), $\(base + 3), $\(base + 4), $\(base + 5), 0)")
                values += [.text(envelope.id), .text(envelope.type), .integer(Int64(envelope.version)), now.sqlValue, .text(envelope.payload)]
            }
            try await db.query(
                "INSERT INTO outbox_events (id, type, version, occurred_at, payload, available_at) VALUES \(rows.joined(separator: ", "))", values)
        }
    }
}

/// The event the benchmark sends.
struct BenchEvent: DomainEvent {
    static let type = "bench.event"
    static let version = 1
    var n: Int
    var padding: String
}

/// Keeps every handled event's lag (seconds), and when the last one committed.
final class LagRecorder: EventMetrics {
    private struct State {
        var lags: [Double] = []
        var lastCommit: Date?
    }

    private let state: Mutex<State>

    init(expected: Int) {
        var initial = State()
        initial.lags.reserveCapacity(expected)
        state = Mutex(initial)
    }

    var count: Int { state.withLock { $0.lags.count } }
    var lastCommit: Date? { state.withLock { $0.lastCommit } }
    func sorted() -> [Double] { state.withLock { $0.lags }.sorted() }

    func handled(consumer: String, lag: Double) {
        let now = Date()
        state.withLock {
            $0.lags.append(lag)
            $0.lastCommit = now
        }
    }

    func published(count: Int) {}
    func publishFailed(count: Int) {}
    func duplicate(consumer: String) {}
    func redelivered(consumer: String) {}
    func failed(consumer: String) {}
    func deadLettered(consumer: String) {}
}
