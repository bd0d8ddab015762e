import AMQP
import ClientSupport
import Foundation
import NIOCore
import TestSupport
import Testing

/// A command line that runs rabbitmqctl against the control broker (scripts/test exports it); unset skips these tests.
private let rabbitmqctl = ProcessInfo.processInfo.environment["LASTMILE_TEST_RABBITMQCTL"]

/// Runs `rabbitmqctl ARGUMENT` against the control broker and waits for it.
private func rabbitmqctl(_ argument: String) async throws {
    let status = try await Task.detached {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "\(rabbitmqctl!) \(argument)"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }.value
    #expect(status == 0, "rabbitmqctl \(argument) exited with \(status)")
}

extension AMQPBrokerTests {
    /// Tests that act on the broker itself through rabbitmqctl (restarts, alarms, forced closes), one at a time, on a
    /// broker of their own.
    @Suite(
        .serialized, .enabled(if: rabbitmqctl != nil && controlAMQPURL != nil, "set LASTMILE_TEST_AMQP_CONTROL_URL and LASTMILE_TEST_RABBITMQCTL"),
        .controlBrokerLock, .timeLimit(.minutes(2)))
    struct BrokerControl {
        private func makeClient() throws -> AMQPClient {
            AMQPClient(
                configuration: try testAMQPConfiguration(url: controlAMQPURL),
                backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(500)))
        }

        @Test
        func brokerRestartRedeclaresTopologyAndResumesConsumers() async throws {
            let client = try makeClient()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                let firstConnection = try #require(try await client.waitForConnection())
                // Transient on purpose: the restart loses them, so only re-declaration brings them back.
                let exchange = uniqueName("restart")
                let queue = uniqueName("restart-q")
                try await client.exchangeDeclare(exchange, type: "direct")
                try await client.queueDeclare(queue)
                try await client.queueBind(queue, exchange: exchange, routingKey: "k")
                var deliveries = client.consume(queue: queue, prefetch: 10).makeAsyncIterator()
                try await client.publish(ByteBuffer(string: "before"), exchange: exchange, routingKey: "k", mandatory: true)
                let before = try #require(try await deliveries.next())
                #expect(String(buffer: before.body) == "before")
                try await before.ack()

                try await rabbitmqctl("stop_app")
                try await rabbitmqctl("start_app")

                // Mandatory: the publish succeeds only once the exchange, queue and binding exist again.
                while true {
                    do {
                        try await client.publish(ByteBuffer(string: "after"), exchange: exchange, routingKey: "k", mandatory: true)
                        break
                    } catch {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                #expect(try await client.waitForConnection() !== firstConnection, "the client reconnected")
                let after = try #require(try await deliveries.next())
                #expect(String(buffer: after.body) == "after")
                try await after.ack()
                try await client.queueDelete(queue)
                try await client.exchangeDelete(exchange)
                group.cancelAll()
            }
        }

        @Test func publishesWaitWhileTheBrokerBlocksPublishing() async throws {
            let connection = try await AMQPConnection.connect(configuration: testAMQPConfiguration(url: controlAMQPURL))
            let channel = try await connection.openChannel()
            let queue = try await channel.queueDeclare("", exclusive: true)
            try await channel.confirmSelect()
            try await rabbitmqctl("set_vm_memory_high_watermark absolute 1MB")  // raises the memory alarm at once
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await channel.basicPublish("under the alarm", routingKey: queue.name) }
                    // The broker blocks a connection when it publishes under the alarm.
                    while connection.blockedReason == nil { try await Task.sleep(for: .milliseconds(20)) }
                    group.addTask { try await channel.basicPublish("held by the client", routingKey: queue.name) }
                    try await rabbitmqctl("set_vm_memory_high_watermark 0.4")
                    try await group.waitForAll()
                }
            } catch {
                try await rabbitmqctl("set_vm_memory_high_watermark 0.4")
                throw error
            }
            while connection.blockedReason != nil { try await Task.sleep(for: .milliseconds(20)) }
            #expect(try await channel.queueDeclare(queue.name, passive: true).messageCount == 2)
            await connection.close()
        }

        @Test func brokerClosingTheConnectionIsReportedWithItsReason() async throws {
            let configuration = try testAMQPConfiguration(url: controlAMQPURL)
            let connection = try await AMQPConnection.connect(configuration: configuration)
            let channel = try await connection.openChannel()
            let queue = try await channel.queueDeclare("", exclusive: true)
            let consumer = try await channel.basicConsume(queue: queue.name)
            try await rabbitmqctl("close_all_connections --vhost '\(configuration.virtualHost)' 'maintenance window'")
            let reason = try #require(await connection.waitUntilClosed())
            #expect(reason.code == .connectionClosed)
            #expect(reason.replyCode == 320)
            #expect(reason.replyText?.contains("maintenance window") == true)
            #expect(!channel.isOpen)
            var deliveries = consumer.makeAsyncIterator()
            await #expect { _ = try await deliveries.next() } throws: { ($0 as? AMQPError)?.replyCode == 320 }
        }
    }
}
