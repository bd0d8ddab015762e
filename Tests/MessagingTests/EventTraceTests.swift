import AMQP
import Foundation
import Kernel
import NIOCore
import Storage
import Synchronization
import TestSupport
import Testing

@testable import Messaging

/// An event of a type no other test's consumer takes: on a shared broker, other suites' queues stay out of it.
struct Traced: DomainEvent {
    static let type = "test.traced"
    static let version = 1
    var n: Int
}

/// An event carries the request that caused it — its id and W3C trace context — from the outbox through the
/// transport to its consumers, whose handlers run in that request's context (so their log lines carry its ids).
@Suite("Events carry their request's trace")
struct EventTraceTests {
    static let request = TraceContext(
        requestID: "req-42", traceparent: TraceParent(header: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")!)

    /// The contexts handlers ran in, by event number.
    final class Observed: Sendable {
        private let seen = Mutex<[Int: TraceContext?]>([:])

        /// Records `context` for event `n`.
        func record(_ n: Int, _ context: TraceContext?) { seen.withLock { $0[n] = context } }

        /// Whether event `n` was handled.
        func handled(_ n: Int) -> Bool { seen.withLock { $0.keys.contains(n) } }

        /// The context event `n` was handled in.
        func context(_ n: Int) -> TraceContext? { seen.withLock { $0[n] ?? nil } }

        /// A consumer that records the context its handler runs in.
        func consumer() -> EventConsumer {
            EventConsumer(name: "observer", types: [Noted.type]) { event, _ in
                self.record(try event.decode(Noted.self).n, TraceContext.current)
            }
        }
    }

    @Test("Through the outbox and the relay, a handler runs in the context of the request that wrote the event", arguments: DatabaseKind.available)
    func outboxToConsumer(kind: DatabaseKind) async throws {
        try await TestDatabases.with(kind, migrations: [StorageMigrations.set]) { db in
            let clock = ManualClock()
            let observed = Observed()
            let transport = InProcessEventTransport(processor: InboxProcessor(database: db, clock: clock), logger: TestDatabases.logger)
            transport.subscribe(observed.consumer())
            try await TraceContext.$current.withValue(Self.request) {
                try await db.transaction { tx in _ = try await Outbox.append(Noted(n: 1), at: clock.now(), in: tx) }
            }
            try await db.transaction { tx in _ = try await Outbox.append(Noted(n: 2), at: clock.now(), in: tx) }
            let relay = OutboxRelay(database: db, transport: transport, clock: clock, logger: TestDatabases.logger)
            while try await relay.runOnce() > 0 {}

            let handled = try #require(observed.context(1))
            #expect(handled.requestID == "req-42")
            #expect(handled.traceparent.traceID == Self.request.traceparent.traceID)
            #expect(handled.traceparent.isSampled)
            // The event is a hop of its own: same trace, another parent.
            #expect(handled.traceparent.parentID != Self.request.traceparent.parentID)
            // An event no request caused is handled outside any.
            #expect(observed.handled(2))
            #expect(observed.context(2) == nil)
        }
    }

    @Test("Each event of a batch is handled in its own request's context; a batch handler in the one they share")
    func batches() async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set]) { db in
            let processor = InboxProcessor(database: db, clock: ManualClock())
            let other = TraceContext(requestID: "req-43", traceparent: TraceParent.generate())
            let first = try TraceContext.$current.withValue(Self.request) { try EventEnvelope(Noted(n: 1), at: Date()) }
            let second = try TraceContext.$current.withValue(other) { try EventEnvelope(Noted(n: 2), at: Date()) }
            let third = try TraceContext.$current.withValue(Self.request) { try EventEnvelope(Noted(n: 3), at: Date()) }

            let observed = Observed()
            _ = try await processor.process(batch: [first, second], with: observed.consumer())
            #expect(observed.context(1)?.requestID == "req-42")
            #expect(observed.context(2)?.requestID == "req-43")

            // A batch handler records the context under the number of the batch's first event.
            let batches = Observed()
            let batched = EventConsumer.batched(name: "batched", types: [Noted.type]) { events, _ in
                batches.record(try events[0].decode(Noted.self).n, TraceContext.current)
            }
            _ = try await processor.process(batch: [first, second], with: batched)
            let fourth = try TraceContext.$current.withValue(Self.request) { try EventEnvelope(Noted(n: 4), at: Date()) }
            _ = try await processor.process(batch: [third, fourth], with: batched)
            #expect(batches.handled(1) && batches.context(1) == nil)
            #expect(batches.context(3)?.requestID == "req-42")
            #expect(batches.context(3)?.traceparent.traceID == Self.request.traceparent.traceID)
        }
    }

    @Test(
        "Through RabbitMQ, a consumer handles an event in the context of the request that wrote it",
        .enabled(if: ProcessInfo.processInfo.environment["LASTMILE_TEST_AMQP_URL"] != nil, "set LASTMILE_TEST_AMQP_URL"),
        .timeLimit(.minutes(1)))
    func throughRabbitMQ() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["LASTMILE_TEST_AMQP_URL"])
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set]) { db in
            let client = AMQPClient(configuration: try AMQPConfiguration(url: url), logger: TestDatabases.logger)
            let name = "trace-test-\(UUID().uuidString.prefix(8))"
            let observed = Observed()
            let consumer = EventConsumer(name: name, types: [Traced.type]) { event, _ in
                observed.record(try event.decode(Traced.self).n, TraceContext.current)
            }
            let clock = ManualClock()
            let runner = AMQPEventConsumerRunner(
                client: client, consumers: [consumer], processor: InboxProcessor(database: db, clock: clock), logger: TestDatabases.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                group.addTask { try await runner.run() }
                _ = try await client.waitForConnection()
                let transport = try await AMQPEventTransport(client: client)
                try await TraceContext.$current.withValue(Self.request) {
                    try await db.transaction { tx in _ = try await Outbox.append(Traced(n: 1), at: clock.now(), in: tx) }
                }
                try await db.transaction { tx in _ = try await Outbox.append(Traced(n: 2), at: clock.now(), in: tx) }
                let relay = OutboxRelay(database: db, transport: transport, clock: clock, logger: TestDatabases.logger)
                while try await relay.runOnce() > 0 {}
                while !(observed.handled(1) && observed.handled(2)) { try await Task.sleep(for: .milliseconds(50)) }
                group.cancelAll()
            }
            #expect(observed.context(1)?.requestID == "req-42")
            #expect(observed.context(1)?.traceparent.traceID == Self.request.traceparent.traceID)
            #expect(observed.context(2) == nil)
            let connection = try await AMQPConnection.connect(configuration: try AMQPConfiguration(url: url))
            let channel = try await connection.openChannel()
            try await channel.queueDelete(name)
            try await channel.queueDelete(AMQPEventConsumerRunner.deadLetterQueue(for: name))
            await connection.close()
        }
    }

    @Test("Over AMQP the request rides in the message headers and comes back as itself")
    func amqpHeaders() throws {
        let event = try TraceContext.$current.withValue(Self.request) { try EventEnvelope(Noted(n: 7), at: Date()) }
        let outbound = AMQPEventCoding.message(for: event, exchange: "lastmile.events")
        #expect(outbound.message.properties.headers?["x-request-id"] == .string("req-42"))
        #expect(outbound.message.properties.headers?["traceparent"] == .string(event.trace!.traceparent.header))

        // Through the wire format of the content header, as the broker passes it on.
        var buffer = ByteBuffer()
        try AMQPContentHeader(bodySize: UInt64(outbound.message.body.readableBytes), properties: outbound.message.properties).encode(into: &buffer)
        let properties = try AMQPContentHeader.decode(from: &buffer).properties
        let received = try #require(
            AMQPEventCoding.event(from: AMQPMessage(properties: properties, body: outbound.message.body), routingKey: Noted.type))
        #expect(received.trace == event.trace)
        #expect(received.id == event.id && received.payload == event.payload)

        let untraced = AMQPEventCoding.message(for: try EventEnvelope(Noted(n: 8), at: Date()), exchange: "lastmile.events")
        #expect(untraced.message.properties.headers?["traceparent"] == nil)
        #expect(AMQPEventCoding.event(from: untraced.message, routingKey: Noted.type)?.trace == nil)

        // A publisher outside LastMile may write anything: what does not parse is left out, not trusted.
        for (requestID, traceparent) in [("req 1", event.trace!.traceparent.header), ("req-1", "00-zz"), ("req-1", "")] {
            var forged = outbound.message
            forged.properties.headers?["x-request-id"] = .string(requestID)
            forged.properties.headers?["traceparent"] = .string(traceparent)
            #expect(AMQPEventCoding.event(from: forged, routingKey: Noted.type)?.trace == nil)
        }
    }
}
