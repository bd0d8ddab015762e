import AMQP
import Foundation
import NIOCore
import Testing

/// The broker the integration tests use, e.g. `amqp://user:pass@127.0.0.1:5672/vhost`; unset skips them.
let testAMQPURL = ProcessInfo.processInfo.environment["LASTMILE_TEST_AMQP_URL"]

/// A broker of their own for the tests that restart it or raise its alarms, so that no other suite notices.
let controlAMQPURL = ProcessInfo.processInfo.environment["LASTMILE_TEST_AMQP_CONTROL_URL"]

func testAMQPConfiguration(heartbeat: UInt16? = nil, url: String? = testAMQPURL) throws -> AMQPConfiguration {
    var configuration = try AMQPConfiguration(url: url!)
    if let heartbeat { configuration.tuning.heartbeat = heartbeat }
    return configuration
}

/// A queue or exchange name no other test run uses.
func uniqueName(_ prefix: String) -> String { "amqp-test.\(prefix).\(UUID().uuidString.prefix(8))" }

/// Every test that talks to a real RabbitMQ, when `LASTMILE_TEST_AMQP_URL` is set.
@Suite(.enabled(if: testAMQPURL != nil, "set LASTMILE_TEST_AMQP_URL to run against RabbitMQ"))
enum AMQPBrokerTests {}

extension AMQPBrokerTests {
    @Suite(.timeLimit(.minutes(1)))
    struct Integration {
        @Test func declareBindPublishWithConfirmsConsumeAndAck() async throws {
            let connection = try await AMQPConnection.connect(configuration: testAMQPConfiguration())
            let channel = try await connection.openChannel()
            let exchange = uniqueName("events")
            try await channel.exchangeDeclare(exchange, type: "topic", autoDelete: true)
            let queue = try await channel.queueDeclare("", exclusive: true, arguments: ["x-message-ttl": .int32(60_000)])
            try await channel.queueBind(queue.name, exchange: exchange, routingKey: "payment.*")
            try await channel.confirmSelect()

            let properties = AMQPBasicProperties(
                contentType: "application/json", headers: ["attempt": .int32(1), "source": "test", "ok": true, "nested": .table(["n": .int64(-5)])],
                deliveryMode: 2, correlationID: "corr", messageID: "m-1", timestamp: 1_700_000_000, type: "payment.created")
            try await channel.basicPublish("{\"amount\":100}", exchange: exchange, routingKey: "payment.created", properties: properties)
            try await channel.basicPublish(ByteBuffer(repeating: 0x61, count: 300_000), exchange: exchange, routingKey: "payment.large")
            try await channel.basicPublish("ignored", exchange: exchange, routingKey: "invoice.created")

            let consumer = try await channel.basicConsume(queue: queue.name)
            var iterator = consumer.makeAsyncIterator()
            let first = try #require(try await iterator.next())
            #expect(String(buffer: first.body) == "{\"amount\":100}")
            #expect(first.properties == properties)
            #expect(first.routingKey == "payment.created")
            #expect(!first.redelivered)
            try await first.ack()
            let second = try #require(try await iterator.next())
            #expect(second.body == ByteBuffer(repeating: 0x61, count: 300_000), "a body larger than frame-max is reassembled")
            try await second.ack()

            try await consumer.cancel()
            #expect(try await iterator.next() == nil, "the sequence ends after basic.cancel")
            #expect(try await channel.queueDeclare(queue.name, passive: true).messageCount == 0)
            try await channel.close()
            await connection.close()
        }

        @Test func batchPublishKeepsOrderAndWaitsForEveryConfirm() async throws {
            let connection = try await AMQPConnection.connect(configuration: testAMQPConfiguration())
            let channel = try await connection.openChannel()
            let queue = try await channel.queueDeclare("", exclusive: true)
            try await channel.confirmSelect()
            let batch = (0..<500).map { AMQPOutboundMessage(routingKey: queue.name, message: AMQPMessage(body: ByteBuffer(string: "\($0)"))) }
            try await channel.basicPublish(batch: batch)
            #expect(try await channel.queueDeclare(queue.name, passive: true).messageCount == 500)
            let consumer = try await channel.basicConsume(queue: queue.name, noAck: true)
            var received: [String] = []
            for try await delivery in consumer {
                received.append(String(buffer: delivery.body))
                if received.count == 500 { break }
            }
            #expect(received == (0..<500).map { "\($0)" })
            await connection.close()
        }

        @Test func nackWithRequeueRedeliversTheMessage() async throws {
            let connection = try await AMQPConnection.connect(configuration: testAMQPConfiguration())
            let channel = try await connection.openChannel()
            let queue = try await channel.queueDeclare("", exclusive: true)
            try await channel.confirmSelect()
            try await channel.basicPublish("retry me", routingKey: queue.name)
            let consumer = try await channel.basicConsume(queue: queue.name)
            var iterator = consumer.makeAsyncIterator()
            let first = try #require(try await iterator.next())
            #expect(!first.redelivered)
            try await first.nack(requeue: true)
            let again = try #require(try await iterator.next())
            #expect(again.redelivered)
            #expect(String(buffer: again.body) == "retry me")
            try await again.reject(requeue: false)
            #expect(try await channel.queueDeclare(queue.name, passive: true).messageCount == 0)
            await connection.close()
        }

        @Test func mandatoryUnroutablePublishIsReturned() async throws {
            let connection = try await AMQPConnection.connect(configuration: testAMQPConfiguration())
            let channel = try await connection.openChannel()
            try await channel.confirmSelect()
            let nowhere = uniqueName("nowhere")
            let error = try await #require(throws: AMQPError.self) {
                try await channel.basicPublish("lost", routingKey: nowhere, mandatory: true, properties: AMQPBasicProperties(messageID: "r-1"))
            }
            #expect(error.code == .messageReturned)
            #expect(error.replyCode == 312)
            var returns = connection.returnedMessages.makeAsyncIterator()
            let returned = try #require(await returns.next())
            #expect(returned.routingKey == nowhere && returned.message.properties.messageID == "r-1")
            // Without `mandatory` the broker drops it silently and confirms.
            try await channel.basicPublish("dropped", routingKey: nowhere)
            await connection.close()
        }

        @Test func prefetchLimitsUnacknowledgedDeliveries() async throws {
            let connection = try await AMQPConnection.connect(configuration: testAMQPConfiguration())
            let channel = try await connection.openChannel()
            let queue = try await channel.queueDeclare("", exclusive: true)
            try await channel.confirmSelect()
            for index in 0..<5 { try await channel.basicPublish("\(index)", routingKey: queue.name) }
            try await channel.basicQos(prefetchCount: 2)
            let consumer = try await channel.basicConsume(queue: queue.name)
            var iterator = consumer.makeAsyncIterator()
            let first = try #require(try await iterator.next())
            _ = try #require(try await iterator.next())
            // Two are out unacknowledged: the broker holds the other three back.
            let other = try await connection.openChannel()
            #expect(try await other.queueDeclare(queue.name, passive: true).messageCount == 3)
            try await first.ack()
            let third = try #require(try await iterator.next())
            #expect(String(buffer: third.body) == "2")
            #expect(try await other.queueDeclare(queue.name, passive: true).messageCount == 2)
            await connection.close()
        }

        @Test func channelErrorIsSurfacedAndTheConnectionStaysUsable() async throws {
            let connection = try await AMQPConnection.connect(configuration: testAMQPConfiguration())
            let failing = try await connection.openChannel()
            let missing = uniqueName("missing")
            let error = try await #require(throws: AMQPError.self) { try await failing.queueDeclare(missing, passive: true) }
            #expect(error.code == .channelClosed)
            #expect(error.replyCode == 404)
            #expect(error.replyText?.contains("NOT_FOUND") == true)
            #expect(error.classID == 50 && error.methodID == 10)
            #expect(!failing.isOpen)
            #expect(failing.closeError == error)
            await #expect(throws: AMQPError.self) { try await failing.queueDeclare("", exclusive: true) }

            #expect(connection.isOpen)
            let healthy = try await connection.openChannel()
            let queue = try await healthy.queueDeclare("", exclusive: true)
            #expect(queue.name.hasPrefix("amq.gen-"))
            await connection.close()
        }

        @Test func getFetchesOneMessageOrNothing() async throws {
            let connection = try await AMQPConnection.connect(configuration: testAMQPConfiguration())
            let channel = try await connection.openChannel()
            let queue = try await channel.queueDeclare("", exclusive: true)
            #expect(try await channel.basicGet(queue: queue.name) == nil)
            try await channel.basicPublish("one", routingKey: queue.name)
            var delivery: AMQPDelivery?
            while delivery == nil { delivery = try await channel.basicGet(queue: queue.name) }  // the publish was not confirmed
            #expect(String(buffer: delivery!.body) == "one")
            try await delivery!.ack()
            #expect(try await channel.queuePurge(queue.name) == 0)
            #expect(try await channel.queueDelete(queue.name) == 0)
            await connection.close()
        }

        @Test func declareArgumentsOfManyTypesAndDeleteTopology() async throws {
            let connection = try await AMQPConnection.connect(configuration: testAMQPConfiguration())
            let channel = try await connection.openChannel()
            let exchange = uniqueName("ex")
            let deadLetters = uniqueName("dlx")
            let queue = uniqueName("quorum")
            try await channel.exchangeDeclare(deadLetters, type: "fanout", durable: true)
            try await channel.exchangeDeclare(exchange, type: "direct", durable: true, arguments: ["alternate-exchange": .string(deadLetters)])
            let info = try await channel.queueDeclare(
                queue, durable: true,
                arguments: [
                    "x-queue-type": "quorum", "x-delivery-limit": .int64(3), "x-dead-letter-exchange": .string(deadLetters),
                    "x-max-length": .int32(1000),
                ])
            #expect(info.name == queue && info.messageCount == 0)
            try await channel.queueBind(queue, exchange: exchange, routingKey: "k", arguments: ["x-match": "all", "n": .int16(1)])
            try await channel.queueUnbind(queue, exchange: exchange, routingKey: "k", arguments: ["x-match": "all", "n": .int16(1)])
            #expect(try await channel.queueDelete(queue) == 0)
            try await channel.exchangeDelete(exchange)
            try await channel.exchangeDelete(deadLetters, ifUnused: true)
            await connection.close()
        }

        @Test func heartbeatIsTheSmallerNonZeroProposal() async throws {
            let short = try await AMQPConnection.connect(configuration: testAMQPConfiguration(heartbeat: 1))
            #expect(short.tuning.heartbeat == 1)
            #expect(short.tuning.frameMax == 131_072)
            // The broker drops a client that stays silent for two heartbeat intervals; ours keeps sending.
            try await Task.sleep(for: .seconds(3.5))
            #expect(short.isOpen)
            let channel = try await short.openChannel()
            _ = try await channel.queueDeclare("", exclusive: true)
            await short.close()

            let serverChosen = try await AMQPConnection.connect(configuration: testAMQPConfiguration(heartbeat: 0))
            #expect(serverChosen.tuning.heartbeat == 60)
            await serverChosen.close()
        }

        @Test func gracefulCloseEndsConsumersAndRefusesLaterRequests() async throws {
            let connection = try await AMQPConnection.connect(configuration: testAMQPConfiguration())
            let channel = try await connection.openChannel()
            let queue = try await channel.queueDeclare("", exclusive: true)
            let consumer = try await channel.basicConsume(queue: queue.name)
            await connection.close()
            #expect(await connection.waitUntilClosed() == nil, "a close the client asked for has no error")
            #expect(!connection.isOpen && !channel.isOpen)
            var iterator = consumer.makeAsyncIterator()
            await #expect(throws: AMQPError.self) { _ = try await iterator.next() }
            let error = try await #require(throws: AMQPError.self) { try await channel.queueDeclare("", exclusive: true) }
            #expect(error.code == .clientClosed || error.code == .connectionLost)
        }

        @Test func wrongPasswordIsAnAuthenticationFailure() async throws {
            var configuration = try testAMQPConfiguration()
            configuration.password += "-wrong"
            let error = try await #require(throws: AMQPError.self) { try await AMQPConnection.connect(configuration: configuration) }
            #expect(error.code == .authenticationFailed)
            #expect(error.replyCode == 403)
        }

        @Test func missingVirtualHostIsReported() async throws {
            var configuration = try testAMQPConfiguration()
            configuration.virtualHost = uniqueName("vhost")
            let error = try await #require(throws: AMQPError.self) { try await AMQPConnection.connect(configuration: configuration) }
            #expect(error.code == .connectionClosed)
            #expect(error.replyCode == 530)
        }
    }
}
