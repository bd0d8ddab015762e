import AMQP
import Foundation
import Kernel
import Logging
import ServiceLifecycle
import Synchronization

/// Runs event consumers from RabbitMQ, as a `Service`.
///
/// Each consumer gets one durable quorum queue named after it, bound to `lastmile.events` by its event types. Up to
/// ``Settings/prefetch`` deliveries are in hand at once; ``Settings/concurrency`` workers take whatever has arrived
/// (up to ``Settings/batchSize``, lingering ``Settings/linger`` for more when fewer came) and handle it in one
/// transaction through ``InboxProcessor/process(batch:with:)``.
/// A delivery is acknowledged only after that transaction committed its inbox row and the handler's changes;
/// acknowledgements go out in delivery order, several at once with `multiple`. A failing handler's message is
/// requeued (nack) and the rest of its batch handled again without it; when the database itself fails, the batch is
/// tried again with backoff and its messages kept, so an outage does not spend their delivery limit. After
/// ``Settings/deliveryLimit`` failed
/// deliveries the queue dead-letters the message through `lastmile.events.dlx` into `<name>.dlq`, while other
/// messages keep flowing.
///
/// With more than one worker, events of one queue may commit out of order; delivery is at least once anyway, so
/// handlers must not rely on order. Set ``Settings/concurrency`` to 1 to keep the queue's order (bar redeliveries).
public final class AMQPEventConsumerRunner: Service {
    /// How consumers receive their events.
    public struct Settings: Sendable {
        /// Failed deliveries of one message before it is dead-lettered: the queue's `x-delivery-limit`, so the
        /// handler runs up to `deliveryLimit + 1` times. It is fixed when the queue is first declared: RabbitMQ
        /// refuses to declare an existing queue again with another value (`inequivalent arg 'x-delivery-limit'`), and
        /// the client then cannot connect, so changing it means deleting the drained queue first.
        public var deliveryLimit = 5
        /// Unacknowledged deliveries per consumer at most (`basic.qos` on the consumer's channel).
        public var prefetch: UInt16 = 1000
        /// Workers per consumer, each handling one batch (one transaction) at a time.
        public var concurrency = 4
        /// Deliveries per batch at most.
        public var batchSize = 100
        /// How long a worker that found fewer than ``batchSize`` deliveries waits for more before it starts: under a
        /// steady flow, a few milliseconds turn many one-event transactions into a few larger ones.
        public var linger: Duration = .milliseconds(5)

        /// The values ``deliveryLimit`` may take.
        public static let deliveryLimits = 1...1000
        /// The values ``prefetch`` may take (0, "no limit", is not offered: it would let a backlog flood the process).
        public static let prefetchLimits: ClosedRange<UInt16> = 1...UInt16.max
        /// The values ``batchSize`` may take.
        public static let batchSizes = 1...10_000

        /// Default settings.
        public init() {}
    }

    /// The exchange that takes messages out of consumers' queues after too many failed deliveries.
    public static let deadLetterExchange = "lastmile.events.dlx"

    /// The dead-letter queue of consumer `name`.
    public static func deadLetterQueue(for name: String) -> String { "\(name).dlq" }

    /// Whether the broker connection is up right now.
    public var isConnected: Bool { client.isConnected }

    private let client: AMQPClient
    private let consumers: [EventConsumer]
    private let processor: InboxProcessor
    private let settings: Settings
    private let metrics: any EventMetrics
    private let logger: Logger

    /// Creates the runner; the queues are declared when it runs.
    public init(
        client: AMQPClient, consumers: [EventConsumer], processor: InboxProcessor, settings: Settings = Settings(),
        metrics: any EventMetrics = NoEventMetrics(), logger: Logger = Logger(label: "lastmile.events.amqp")
    ) {
        self.client = client
        self.consumers = consumers
        self.processor = processor
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
    }

    /// Declares the exchanges, each consumer's queue and dead-letter queue and their bindings; the client declares
    /// them again after every reconnect.
    public func declareTopology() async throws {
        try await client.exchangeDeclare(AMQPEventTransport.exchange, type: "topic", durable: true)
        try await client.exchangeDeclare(Self.deadLetterExchange, type: "direct", durable: true)
        for consumer in consumers {
            let deadLetters = Self.deadLetterQueue(for: consumer.name)
            try await client.queueDeclare(deadLetters, durable: true)
            try await client.queueBind(deadLetters, exchange: Self.deadLetterExchange, routingKey: consumer.name)
            try await client.queueDeclare(
                consumer.name, durable: true,
                arguments: [
                    "x-queue-type": "quorum",
                    "x-delivery-limit": .int64(Int64(settings.deliveryLimit)),
                    "x-dead-letter-exchange": .string(Self.deadLetterExchange),
                    "x-dead-letter-routing-key": .string(consumer.name),
                ])
            for type in consumer.types.sorted() {
                try await client.queueBind(consumer.name, exchange: AMQPEventTransport.exchange, routingKey: type)
            }
        }
    }

    /// Messages waiting in each consumer's dead-letter queue (by consumer name), for a gauge; throws when not connected.
    public func deadLetterCounts() async throws -> [String: Int] {
        guard let connection = try await client.waitForConnection() else { throw CancellationError() }
        let channel = try await connection.openChannel()
        var counts: [String: Int] = [:]
        do {
            for consumer in consumers {
                let info = try await channel.queueDeclare(Self.deadLetterQueue(for: consumer.name), passive: true)
                counts[consumer.name] = Int(info.messageCount)
            }
        } catch {
            try? await channel.close()
            throw error
        }
        try? await channel.close()
        return counts
    }

    /// Declares the topology, then consumes for every consumer until graceful shutdown or cancellation.
    public func run() async throws {
        try await declareTopology()
        // A process whose services consume nothing (auth on its own) still runs this service: returning early would
        // end its whole service group, and so the process.
        guard !consumers.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for consumer in self.consumers {
                    group.addTask { await self.consume(consumer) }
                }
            }
        }
    }

    private func consume(_ consumer: EventConsumer) async {
        let inbox = DeliveryBuffer()
        let acks = AckTracker()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.receive(consumer, into: inbox, tracking: acks)
                inbox.finish()
            }
            for _ in 0..<max(1, settings.concurrency) {
                group.addTask {
                    let limit = max(1, self.settings.batchSize)
                    while var batch = await inbox.take(max: limit) {
                        if batch.count < limit, self.settings.linger > .zero {
                            try? await Task.sleep(for: self.settings.linger)
                            batch += inbox.takeReady(max: limit - batch.count)
                        }
                        await self.handle(batch, with: consumer, acks: acks)
                    }
                }
            }
        }
    }

    /// Reads deliveries in order into `inbox` until the client stops or the task is cancelled.
    private func receive(_ consumer: EventConsumer, into inbox: DeliveryBuffer, tracking acks: AckTracker) async {
        while !Task.isCancelled {
            do {
                for try await delivery in client.consume(queue: consumer.name, prefetch: settings.prefetch) {
                    acks.received(delivery)
                    if delivery.redelivered { metrics.redelivered(consumer: consumer.name) }
                    inbox.put(delivery)
                }
                return  // the client stopped
            } catch is CancellationError {
                return
            } catch {
                // The broker refused the subscription or cancelled it (say, the queue was deleted): declare and retry.
                logger.error("consumer stopped; subscribing again", metadata: ["consumer": "\(consumer.name)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                try? await declareTopology()
            }
        }
    }

    private func handle(_ batch: [AMQPDelivery], with consumer: EventConsumer, acks: AckTracker) async {
        var pending: [(delivery: AMQPDelivery, event: EventEnvelope)] = []
        for delivery in batch {
            if let event = AMQPEventCoding.event(from: delivery.message, routingKey: delivery.routingKey) {
                pending.append((delivery, event))
            } else {
                logger.error("message without an event id; dead-lettering it", metadata: ["consumer": "\(consumer.name)"])
                acks.refuse(delivery, requeue: false)
                metrics.deadLettered(consumer: consumer.name)
            }
        }
        var pause = Duration.milliseconds(100)
        while !pending.isEmpty {
            do {
                let ran = try await processor.process(batch: pending.map(\.event), with: consumer)
                committed(pending, ran: ran, consumer: consumer)
                acks.acknowledge(pending.map(\.delivery))
                return
            } catch let failure as BatchHandlerFailure {
                guard let index = failure.index else {
                    // A batch handler failed on the whole batch: one at a time, to find the poison.
                    await handleOneByOne(pending, with: consumer, acks: acks)
                    return
                }
                // Only that message goes back; the others are handled again without it.
                let (delivery, event) = pending.remove(at: index)
                refuse(delivery, event: event, consumer: consumer, error: failure.underlying, acks: acks)
            } catch {
                // The database failed, not a handler (it is down, or two batches deadlocked): keep the messages (the
                // prefetch window holds back the rest) and try again, rather than spend their delivery limit.
                logger.warning(
                    "inbox transaction failed; retrying the batch", metadata: ["consumer": "\(consumer.name)", "error": "\(error)"])
                do {
                    try await Task.sleep(for: pause)
                } catch {
                    return  // shutting down: the broker requeues what is not acknowledged
                }
                pause = min(pause * 2, .seconds(5))
                // Deliveries of a channel that closed meanwhile come again from the broker.
                pending.removeAll { !$0.delivery.channel.isOpen }
            }
        }
    }

    private func handleOneByOne(
        _ pending: [(delivery: AMQPDelivery, event: EventEnvelope)], with consumer: EventConsumer, acks: AckTracker
    ) async {
        for (delivery, event) in pending {
            do {
                let ran = try await processor.process(event, with: consumer)
                committed([(delivery, event)], ran: [ran], consumer: consumer)
                acks.acknowledge([delivery])
            } catch {
                refuse(delivery, event: event, consumer: consumer, error: error, acks: acks)
            }
        }
    }

    private func committed(_ handled: [(delivery: AMQPDelivery, event: EventEnvelope)], ran: [Bool], consumer: EventConsumer) {
        let now = processor.clock.now()
        for ((_, event), didRun) in zip(handled, ran) {
            if didRun {
                metrics.handled(consumer: consumer.name, lag: max(0, now.timeIntervalSince(event.occurredAt)))
            } else {
                metrics.duplicate(consumer: consumer.name)
            }
        }
    }

    private func refuse(_ delivery: AMQPDelivery, event: EventEnvelope, consumer: EventConsumer, error: any Error, acks: AckTracker) {
        TraceContext.$current.withValue(event.trace) {
            logger.warning(
                "consumer failed; the message goes back to its queue",
                metadata: ["consumer": "\(consumer.name)", "event_id": "\(event.id)", "type": "\(event.type)", "error": "\(error)"])
        }
        metrics.failed(consumer: consumer.name)
        // Quorum queues count earlier failed deliveries in x-delivery-count; past the limit this nack dead-letters.
        if Self.deliveryCount(of: delivery) >= settings.deliveryLimit { metrics.deadLettered(consumer: consumer.name) }
        acks.refuse(delivery, requeue: true)
    }

    static func deliveryCount(of delivery: AMQPDelivery) -> Int {
        switch delivery.properties.headers?["x-delivery-count"] {
        case .int64(let value): Int(value)
        case .int32(let value): Int(value)
        case .int16(let value): Int(value)
        case .int8(let value): Int(value)
        case .uint32(let value): Int(value)
        case .uint16(let value): Int(value)
        case .uint8(let value): Int(value)
        default: 0
        }
    }
}

/// Deliveries received and not yet taken by a worker.
private final class DeliveryBuffer: Sendable {
    private struct State {
        var queue: [AMQPDelivery] = []
        var head = 0
        var waiters: [CheckedContinuation<[AMQPDelivery]?, Never>] = []
        var finished = false
    }

    private let state = Mutex(State())

    func put(_ delivery: AMQPDelivery) {
        let waiter = state.withLock { state -> CheckedContinuation<[AMQPDelivery]?, Never>? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.queue.append(delivery)
            return nil
        }
        waiter?.resume(returning: [delivery])
    }

    func finish() {
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// Up to `limit` deliveries that are here now, without waiting (none when empty).
    func takeReady(max limit: Int) -> [AMQPDelivery] {
        state.withLock { Self.takeReady(&$0, limit) } ?? []
    }

    /// Up to `limit` deliveries, waiting for at least one; nil once finished (or cancelled) and empty.
    func take(max limit: Int) async -> [AMQPDelivery]? {
        if let ready = state.withLock({ Self.takeReady(&$0, limit) }) { return ready }
        return await withCheckedContinuation { continuation in
            let now = state.withLock { state -> [AMQPDelivery]?? in
                if let ready = Self.takeReady(&state, limit) { return .some(ready) }
                if state.finished || Task.isCancelled { return .some(nil) }
                state.waiters.append(continuation)
                return .none
            }
            if case .some(let answer) = now { continuation.resume(returning: answer) }
        }
    }

    private static func takeReady(_ state: inout State, _ limit: Int) -> [AMQPDelivery]? {
        let available = state.queue.count - state.head
        guard available > 0 else { return nil }
        let count = min(limit, available)
        let taken = Array(state.queue[state.head..<state.head + count])
        state.head += count
        if state.head == state.queue.count {
            state.queue.removeAll(keepingCapacity: true)
            state.head = 0
        } else if state.head > 4096 {
            // Never empty under steady load: drop what was taken so the array does not grow for ever.
            state.queue.removeFirst(state.head)
            state.head = 0
        }
        return taken
    }
}

/// Settles deliveries in the order the broker sent them: an ack with `multiple` covers every earlier delivery, so it
/// goes out only once all of those are settled, and each ack, nack or reject is written under the lock (a tag settled
/// twice would close the channel).
private final class AckTracker: Sendable {
    private struct State {
        var channel: AMQPChannel?
        /// Tags received on `channel` and not yet covered by an ack, in delivery order.
        var outstanding: [UInt64] = []
        var head = 0
        /// Tags handled (committed) or refused, waiting for the ones before them.
        var done = Set<UInt64>()
        /// Tags nacked or rejected on their own, waiting for the ones before them.
        var refused = Set<UInt64>()
    }

    private let state = Mutex(State())

    /// Records a delivery as it arrives, in order; a new channel (after a reconnect) starts afresh, since the old one's
    /// deliveries can no longer be settled (the broker requeued them).
    func received(_ delivery: AMQPDelivery) {
        state.withLock { state in
            if state.channel !== delivery.channel {
                state = State(channel: delivery.channel)
            }
            state.outstanding.append(delivery.envelope.deliveryTag)
        }
    }

    /// The deliveries are committed: acknowledges every leading settled tag with one `multiple` ack.
    func acknowledge(_ deliveries: [AMQPDelivery]) {
        state.withLock { state in
            for delivery in deliveries where delivery.channel === state.channel { state.done.insert(delivery.envelope.deliveryTag) }
            Self.ackLeading(&state)
        }
    }

    /// Nacks (or rejects, without requeue) one delivery at once; the acks after it no longer wait for it.
    func refuse(_ delivery: AMQPDelivery, requeue: Bool) {
        state.withLock { state in
            guard delivery.channel === state.channel else { return }
            delivery.channel.sendNack(deliveryTag: delivery.envelope.deliveryTag, requeue: requeue)
            // Settled already: a later `multiple` ack passes over it.
            state.refused.insert(delivery.envelope.deliveryTag)
            Self.ackLeading(&state)
        }
    }

    private static func ackLeading(_ state: inout State) {
        var highestAcked: UInt64?
        while state.head < state.outstanding.count {
            let tag = state.outstanding[state.head]
            if state.refused.remove(tag) != nil {
                // settled on its own
            } else if state.done.remove(tag) != nil {
                highestAcked = tag
            } else {
                break
            }
            state.head += 1
        }
        if state.head > 4096 {
            state.outstanding.removeFirst(state.head)
            state.head = 0
        }
        if let highestAcked, let channel = state.channel { channel.sendAck(deliveryTag: highestAcked, multiple: true) }
    }
}
