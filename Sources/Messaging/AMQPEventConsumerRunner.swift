import AMQP
import Kernel
import Logging
import ServiceLifecycle

/// Runs event consumers from RabbitMQ, as a `Service`.
///
/// Each consumer gets one durable quorum queue named after it, bound to `lastmile.events` by its event types. A
/// delivery is acknowledged only after ``InboxProcessor/process(_:with:)`` committed the inbox row and the handler's
/// changes; a failure requeues it (nack). After ``Settings/deliveryLimit`` failed deliveries the queue dead-letters
/// the message through `lastmile.events.dlx` into `<name>.dlq`, while other messages keep flowing.
public final class AMQPEventConsumerRunner: Service {
    /// How consumers receive their events.
    public struct Settings: Sendable {
        /// Deliveries of one message before it is dead-lettered (`x-delivery-limit` counts the redeliveries).
        public var deliveryLimit = 5
        /// Unacknowledged deliveries per consumer at most.
        public var prefetch: UInt16 = 100

        /// Default settings.
        public init() {}
    }

    /// The exchange that takes messages out of consumers' queues after too many failed deliveries.
    public static let deadLetterExchange = "lastmile.events.dlx"

    /// The dead-letter queue of consumer `name`.
    public static func deadLetterQueue(for name: String) -> String { "\(name).dlq" }

    private let client: AMQPClient
    private let consumers: [EventConsumer]
    private let processor: InboxProcessor
    private let settings: Settings
    private let logger: Logger

    /// Creates the runner; the queues are declared when it runs.
    public init(
        client: AMQPClient, consumers: [EventConsumer], processor: InboxProcessor, settings: Settings = Settings(),
        logger: Logger = Logger(label: "lastmile.events.amqp")
    ) {
        self.client = client
        self.consumers = consumers
        self.processor = processor
        self.settings = settings
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

    /// Declares the topology, then consumes for every consumer until graceful shutdown or cancellation.
    public func run() async throws {
        try await declareTopology()
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for consumer in self.consumers {
                    group.addTask { await self.consume(consumer) }
                }
            }
        }
    }

    private func consume(_ consumer: EventConsumer) async {
        while !Task.isCancelled {
            do {
                for try await delivery in client.consume(queue: consumer.name, prefetch: settings.prefetch) {
                    await handle(delivery, with: consumer)
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

    private func handle(_ delivery: AMQPDelivery, with consumer: EventConsumer) async {
        guard let event = AMQPEventCoding.event(from: delivery.message, routingKey: delivery.routingKey) else {
            logger.error("message without an event id; dead-lettering it", metadata: ["consumer": "\(consumer.name)"])
            try? await delivery.reject(requeue: false)
            return
        }
        do {
            try await processor.process(event, with: consumer)
        } catch {
            logger.warning(
                "consumer failed; the message goes back to its queue",
                metadata: ["consumer": "\(consumer.name)", "event_id": "\(event.id)", "type": "\(event.type)", "error": "\(error)"])
            try? await delivery.nack(requeue: true)
            return
        }
        // If the ack is lost with the connection, the broker delivers again and the inbox drops the repeat.
        try? await delivery.ack()
    }
}
