import AMQP
import ClientSupport
import Foundation
import Kernel
import Messaging
import Storage
import Synchronization
import TestSupport
import Testing

/// The control broker (scripts/test starts it for tests that restart it), how to drive it, and PostgreSQL.
private let controlURL = ProcessInfo.processInfo.environment["LASTMILE_TEST_AMQP_CONTROL_URL"]
private let rabbitmqctlCommand = ProcessInfo.processInfo.environment["LASTMILE_TEST_RABBITMQCTL"]

/// Runs `rabbitmqctl ARGUMENTS` against the control broker and returns its exit status.
private func rabbitmqctl(_ arguments: String) async throws -> Int32 {
    try await Task.detached {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "\(rabbitmqctlCommand!) \(arguments)"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }.value
}

/// Events through outbox → RabbitMQ → consumer on PostgreSQL while the broker restarts.
@Suite(
    .serialized,
    .enabled(
        if: controlURL != nil && rabbitmqctlCommand != nil && DatabaseKind.postgresURL != nil,
        "set LASTMILE_TEST_AMQP_CONTROL_URL, LASTMILE_TEST_RABBITMQCTL and LASTMILE_TEST_POSTGRES_URL"),
    .controlBrokerLock, .timeLimit(.minutes(5)))
struct AMQPBrokerRestartTests {
    @Test func aBrokerRestartWhileTenThousandEventsFlowLosesNoneAndHandlesEachOnce() async throws {
        let total = 10_000
        try await TestDatabases.with(.postgres, migrations: [StorageMigrations.set, OutboxRelayTests.effects]) { db in
            let client = AMQPClient(
                configuration: try AMQPConfiguration(url: controlURL!),
                backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(500)), logger: TestDatabases.logger)
            let name = "amqp-restart-\(UUID().uuidString.prefix(8))"
            let statistics = EventStatistics()
            let runner = AMQPEventConsumerRunner(
                client: client, consumers: [OutboxRelayTests.recorder(name)], processor: InboxProcessor(database: db), metrics: statistics,
                logger: TestDatabases.logger)
            var relaySettings = OutboxRelay.Settings()
            relaySettings.idleInterval = .milliseconds(20)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                let firstConnection = try #require(try await client.waitForConnection())
                try await runner.declareTopology()
                let transport = try await AMQPEventTransport(client: client, metrics: statistics)
                let relay = OutboxRelay(database: db, transport: transport, settings: relaySettings, logger: TestDatabases.logger)
                group.addTask { try await runner.run() }
                group.addTask { try await relay.run() }
                // The producer appends 100 transactions of 100 events, about 2,500 a second, so it is still at it when the broker stops.
                group.addTask {
                    for chunk in 0..<100 {
                        try await db.transaction { tx in
                            for n in chunk * 100..<(chunk + 1) * 100 { _ = try await Outbox.append(Noted(n: n), at: Date(), in: tx) }
                        }
                        try await Task.sleep(for: .milliseconds(40))
                    }
                }
                // Restart once events are flowing: some handled, more in the outbox, the queue and in flight.
                while try await OutboxRelayTests.count(db, consumer: name) < 1_500 { try await Task.sleep(for: .milliseconds(20)) }
                #expect(try await rabbitmqctl("stop_app") == 0)
                #expect(try await rabbitmqctl("start_app") == 0)

                while true {
                    let handled = try await OutboxRelayTests.count(db, consumer: name)
                    let pending = try await OutboxStore(database: db).pendingCount()
                    if handled >= total && pending == 0 { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(try await client.waitForConnection() !== firstConnection, "the client reconnected after the restart")
                group.cancelAll()
            }
            let effects = try #require(
                try await db.first("SELECT COUNT(*) AS c, COUNT(DISTINCT event_id) AS d FROM effects WHERE consumer = $1", name))
            #expect(try effects.int("c") == total, "every event handled once")
            #expect(try effects.int("d") == total)
            let inbox = try await db.first("SELECT COUNT(*) AS c FROM inbox_events WHERE consumer = $1", name)?.int("c")
            #expect(inbox == total)
            let unmatched = try await db.first(
                "SELECT COUNT(*) AS c FROM outbox_events o LEFT JOIN effects e ON e.event_id = o.id AND e.consumer = $1 WHERE e.event_id IS NULL",
                name)?.int("c")
            #expect(unmatched == 0, "none lost")
            #expect(try await OutboxStore(database: db).deadCount() == 0)
            let snapshot = statistics.snapshot()
            #expect(snapshot.handled == total)
            #expect(snapshot.published >= total)

            let connection = try await AMQPConnection.connect(configuration: try AMQPConfiguration(url: controlURL!))
            let channel = try await connection.openChannel()
            try await channel.queueDelete(name)
            try await channel.queueDelete(AMQPEventConsumerRunner.deadLetterQueue(for: name))
            await connection.close()
        }
    }
}
