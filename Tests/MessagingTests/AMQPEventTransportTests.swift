import AMQP
import Foundation
import Kernel
import Messaging
import NIOCore
import Storage
import Synchronization
import TestSupport
import Testing

/// The RabbitMQ the tests use; unset skips them.
private let amqpURL = ProcessInfo.processInfo.environment["LASTMILE_TEST_AMQP_URL"]

/// Events through outbox → RabbitMQ (with confirms) → consumer runner → inbox, against a real broker.
@Suite(.serialized, .enabled(if: amqpURL != nil, "set LASTMILE_TEST_AMQP_URL to run against RabbitMQ"), .timeLimit(.minutes(2)))
struct AMQPEventTransportTests {
    private func makeClient() throws -> AMQPClient {
        AMQPClient(configuration: try AMQPConfiguration(url: amqpURL!), logger: TestDatabases.logger)
    }

    private func waitUntil(_ condition: @Sendable () async throws -> Bool) async throws {
        while try await !condition() { try await Task.sleep(for: .milliseconds(50)) }
    }

    @Test func everyEventReachesItsConsumerOnceWithItsFields() async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, OutboxRelayTests.effects]) { db in
            let client = try makeClient()
            let name = "amqp-test-\(UUID().uuidString.prefix(8))"
            let seen = Mutex<[EventEnvelope]>([])
            let consumer = EventConsumer(name: name, types: [Noted.type]) { event, tx in
                seen.withLock { $0.append(event) }
                try await OutboxRelayTests.recorder(name).handle(event, tx)
            }
            let clock = ManualClock()
            let runner = AMQPEventConsumerRunner(
                client: client, consumers: [consumer], processor: InboxProcessor(database: db, clock: clock), logger: TestDatabases.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                group.addTask { try await runner.run() }
                _ = try await client.waitForConnection()
                let transport = try await AMQPEventTransport(client: client)
                try await OutboxRelayTests.append(db, 120, clock: clock)
                let relay = OutboxRelay(database: db, transport: transport, clock: clock, logger: TestDatabases.logger)
                while try await relay.runOnce() > 0 {}
                try await waitUntil { try await OutboxRelayTests.count(db, consumer: name) >= 120 }

                let outboxIDs = try await db.query("SELECT id FROM outbox_events").map { try $0.string("id") }
                let received = seen.withLock { $0 }
                #expect(received.count == 120)
                #expect(Set(received.map(\.id)) == Set(outboxIDs))
                let first = try #require(received.first)
                #expect(first.type == Noted.type && first.version == Noted.version)
                #expect(first.occurredAt.timeIntervalSince1970.rounded() == clock.now().timeIntervalSince1970.rounded())
                #expect(try received.map { try $0.decode(Noted.self).n }.sorted() == Array(0..<120))
                group.cancelAll()
            }
            try await cleanUp(name)
        }
    }

    @Test func poisonMessageGoesToTheDeadLetterQueueWhileOthersFlow() async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, OutboxRelayTests.effects]) { db in
            let client = try makeClient()
            let name = "amqp-poison-\(UUID().uuidString.prefix(8))"
            let attempts = Mutex(0)
            let consumer = EventConsumer(name: name, types: [Noted.type, Poison.type]) { event, tx in
                if event.type == Poison.type {
                    attempts.withLock { $0 += 1 }
                    throw PoisonFailure()
                }
                try await OutboxRelayTests.recorder(name).handle(event, tx)
            }
            let clock = ManualClock()
            var settings = AMQPEventConsumerRunner.Settings()
            settings.deliveryLimit = 2
            let statistics = EventStatistics()
            let runner = AMQPEventConsumerRunner(
                client: client, consumers: [consumer], processor: InboxProcessor(database: db, clock: clock), settings: settings,
                metrics: statistics, logger: TestDatabases.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                group.addTask { try await runner.run() }
                _ = try await client.waitForConnection()
                let transport = try await AMQPEventTransport(client: client)
                // The poison message travels in the middle of others, so it shares batches with them.
                try await OutboxRelayTests.append(db, 300, clock: clock)
                let poison = try EventEnvelope(Poison(), at: clock.now())
                try await db.transaction { tx in try await Outbox.append(poison, in: tx) }
                try await OutboxRelayTests.append(db, 300, clock: clock)
                let relay = OutboxRelay(database: db, transport: transport, clock: clock, logger: TestDatabases.logger)
                while try await relay.runOnce() > 0 {}
                try await waitUntil { try await OutboxRelayTests.count(db, consumer: name) >= 600 }

                // The first delivery and `deliveryLimit` redeliveries fail; then the queue dead-letters the message.
                let connection = try #require(try await client.waitForConnection())
                let channel = try await connection.openChannel()
                var dead: AMQPDelivery?
                while dead == nil {
                    dead = try await channel.basicGet(queue: AMQPEventConsumerRunner.deadLetterQueue(for: name))
                    if dead == nil { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(dead?.properties.messageID == poison.id)
                #expect(attempts.withLock { $0 } == settings.deliveryLimit + 1)
                #expect(try await OutboxRelayTests.count(db, consumer: name) == 600, "the others each took effect once")
                let snapshot = statistics.snapshot()
                #expect(snapshot.failed == settings.deliveryLimit + 1)
                #expect(snapshot.deadLettered == 1)
                #expect(snapshot.redelivered >= settings.deliveryLimit)
                #expect(snapshot.handled == 600)
                try await channel.close()
                #expect(try await runner.deadLetterCounts()[name] == 1, "not acknowledged above, so back in the dead-letter queue")
                group.cancelAll()
            }
            try await cleanUp(name)
        }
    }

    @Test func aDatabaseFailureRetriesTheBatchWithoutSpendingDeliveries() async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, OutboxRelayTests.effects]) { db in
            let client = try makeClient()
            let name = "amqp-dbdown-\(UUID().uuidString.prefix(8))"
            let flaky = FlakyDatabase(base: db, failures: 3)
            let statistics = EventStatistics()
            let runner = AMQPEventConsumerRunner(
                client: client, consumers: [OutboxRelayTests.recorder(name)], processor: InboxProcessor(database: flaky), metrics: statistics,
                logger: TestDatabases.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                _ = try await client.waitForConnection()
                try await runner.declareTopology()
                group.addTask { try await runner.run() }
                let transport = try await AMQPEventTransport(client: client)
                try await OutboxRelayTests.append(db, 50, clock: ManualClock())
                let relay = OutboxRelay(database: db, transport: transport, logger: TestDatabases.logger)
                while try await relay.runOnce() > 0 {}
                try await waitUntil { try await OutboxRelayTests.count(db, consumer: name) >= 50 }
                group.cancelAll()
            }
            #expect(flaky.failuresLeft.withLock { $0 } == 0, "the database did fail")
            #expect(try await OutboxRelayTests.count(db, consumer: name) == 50)
            let snapshot = statistics.snapshot()
            #expect(snapshot.failed == 0 && snapshot.redelivered == 0, "no message went back to the queue")
            #expect(snapshot.handled == 50)
            try await cleanUp(name)
        }
    }

    /// Deletes a test consumer's queues so reruns against a long-lived broker do not pile up messages.
    private func cleanUp(_ name: String) async throws {
        let connection = try await AMQPConnection.connect(configuration: try AMQPConfiguration(url: amqpURL!))
        let channel = try await connection.openChannel()
        try await channel.queueDelete(name)
        try await channel.queueDelete(AMQPEventConsumerRunner.deadLetterQueue(for: name))
        await connection.close()
    }
}

private struct PoisonFailure: Error {}

/// A database whose first `failures` transactions fail before they start, as when PostgreSQL is briefly down.
private final class FlakyDatabase: Database {
    let base: any Database
    let failuresLeft: Mutex<Int>

    init(base: any Database, failures: Int) {
        self.base = base
        self.failuresLeft = Mutex(failures)
    }

    var dialect: SQLDialect { base.dialect }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] { try await base.query(sql, binds) }

    func transaction<Result: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> Result) async throws -> Result {
        let fail = failuresLeft.withLock { left in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        if fail { throw StorageError.unavailable(reason: "test: the database is down") }
        return try await base.transaction(body)
    }

    func close() async throws {}
}
