import AMQP
import Foundation
import NIOCore
import Testing

/// Whether `python3` with `pika` is available (scripts/test installs it with the RabbitMQ service).
private let pikaAvailable: Bool = {
    (try? runPython("import pika", arguments: [])).map { $0.status == 0 } ?? false
}()

/// Runs a Python program with `arguments`, returning its exit status and standard output.
private func runPython(_ program: String, arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", program] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.standardError
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Runs the program off the cooperative pool, since waiting for a process blocks its thread.
private func python(_ program: String, _ arguments: String...) async throws -> String {
    let result = try await Task.detached { try runPython(program, arguments: arguments) }.value
    #expect(result.status == 0, "python3 exited with \(result.status)")
    return result.output
}

extension AMQPBrokerTests {
    /// Messages cross between our client and Python's pika, both ways.
    @Suite(.enabled(if: pikaAvailable, "needs python3 with pika"), .timeLimit(.minutes(1)))
    struct PikaInterop {
        @Test func pikaReadsWhatWePublish() async throws {
            let connection = try await AMQPConnection.connect(configuration: testAMQPConfiguration())
            let channel = try await connection.openChannel()
            let queue = uniqueName("to-pika")
            try await channel.queueDeclare(queue, autoDelete: false)
            try await channel.confirmSelect()
            let properties = AMQPBasicProperties(
                contentType: "text/plain", headers: ["attempt": .int32(3), "origin": "swift"], deliveryMode: 2, correlationID: "c-9",
                messageID: "swift-1", timestamp: 1_700_000_123, type: "payment.created")
            try await channel.basicPublish("привет from Swift", routingKey: queue, properties: properties)

            let program = """
                import json, sys, pika
                connection = pika.BlockingConnection(pika.URLParameters(sys.argv[1]))
                channel = connection.channel()
                method, props, body = channel.basic_get(sys.argv[2], auto_ack=True)
                print(json.dumps({"body": body.decode("utf-8"), "message_id": props.message_id, "type": props.type,
                                  "timestamp": props.timestamp, "delivery_mode": props.delivery_mode, "headers": props.headers,
                                  "correlation_id": props.correlation_id, "content_type": props.content_type}))
                channel.queue_delete(sys.argv[2])
                connection.close()
                """
            let output = try await python(program, testAMQPURL!, queue)
            let seen = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
            #expect(seen?["body"] as? String == "привет from Swift")
            #expect(seen?["message_id"] as? String == "swift-1")
            #expect(seen?["type"] as? String == "payment.created")
            #expect(seen?["timestamp"] as? Int == 1_700_000_123)
            #expect(seen?["delivery_mode"] as? Int == 2)
            #expect(seen?["correlation_id"] as? String == "c-9")
            #expect(seen?["content_type"] as? String == "text/plain")
            let headers = seen?["headers"] as? [String: Any]
            #expect(headers?["attempt"] as? Int == 3)
            #expect(headers?["origin"] as? String == "swift")
            await connection.close()
        }

        @Test func weReadWhatPikaPublishes() async throws {
            let connection = try await AMQPConnection.connect(configuration: testAMQPConfiguration())
            let channel = try await connection.openChannel()
            let queue = uniqueName("from-pika")
            try await channel.queueDeclare(queue, autoDelete: false)
            let consumer = try await channel.basicConsume(queue: queue)

            let program = """
                import sys, pika
                connection = pika.BlockingConnection(pika.URLParameters(sys.argv[1]))
                channel = connection.channel()
                channel.confirm_delivery()
                props = pika.BasicProperties(message_id="pika-1", type="ticket.created", timestamp=1700000456, delivery_mode=2,
                                             content_type="application/json", headers={"attempt": 2, "origin": "python", "ok": True})
                channel.basic_publish("", sys.argv[2], '{"from": "pika"}'.encode(), props, mandatory=True)
                connection.close()
                """
            _ = try await python(program, testAMQPURL!, queue)

            var iterator = consumer.makeAsyncIterator()
            let delivery = try #require(try await iterator.next())
            #expect(String(buffer: delivery.body) == "{\"from\": \"pika\"}")
            #expect(delivery.properties.messageID == "pika-1")
            #expect(delivery.properties.type == "ticket.created")
            #expect(delivery.properties.timestamp == 1_700_000_456)
            #expect(delivery.properties.deliveryMode == 2)
            #expect(delivery.properties.contentType == "application/json")
            let headers = try #require(delivery.properties.headers)
            #expect(headers["origin"] == "python")
            #expect(headers["ok"] == true)
            switch headers["attempt"] {
            case .int8(2), .int16(2), .int32(2), .int64(2): break
            default: Issue.record("attempt header \(String(describing: headers["attempt"]))")
            }
            try await delivery.ack()
            try await channel.queueDelete(queue)
            await connection.close()
        }
    }
}
