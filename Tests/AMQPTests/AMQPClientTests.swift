import AMQP
import ClientSupport
import Foundation
import NIOCore
import Testing

extension AMQPBrokerTests {
    @Suite(.timeLimit(.minutes(2)))
    struct Client {
        private func makeClient() throws -> AMQPClient {
            AMQPClient(
                configuration: try testAMQPConfiguration(), backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(500)))
        }

        @Test func declaresPublishesWithConfirmsAndConsumes() async throws {
            let client = try makeClient()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                #expect(try await client.waitForConnection() != nil)
                let exchange = uniqueName("client")
                let queue = uniqueName("client-q")
                try await client.exchangeDeclare(exchange, type: "topic", autoDelete: true)
                try await client.queueDeclare(queue, exclusive: true)
                try await client.queueBind(queue, exchange: exchange, routingKey: "a.#")
                try await client.publish(ByteBuffer(string: "one"), exchange: exchange, routingKey: "a.b", mandatory: true)
                await #expect { try await client.publish(ByteBuffer(string: "x"), exchange: exchange, routingKey: "b", mandatory: true) } throws: {
                    ($0 as? AMQPError)?.code == .messageReturned
                }
                // A publish to a missing exchange closes the publishing channel (404); the next publish opens another.
                await #expect { try await client.publish(ByteBuffer(string: "x"), exchange: uniqueName("missing"), routingKey: "a") } throws: {
                    ($0 as? AMQPError)?.replyCode == 404
                }
                try await client.publish(ByteBuffer(string: "two"), exchange: exchange, routingKey: "a.c")
                var deliveries = client.consume(queue: queue, prefetch: 5).makeAsyncIterator()
                for expected in ["one", "two"] {
                    let delivery = try #require(try await deliveries.next())
                    #expect(String(buffer: delivery.body) == expected)
                    try await delivery.ack()
                }
                group.cancelAll()
            }
            #expect(try await client.waitForConnection() == nil, "a stopped client has no connection to wait for")
        }
    }
}
