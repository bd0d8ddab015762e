import ClientSupport
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// A connection to RabbitMQ that its `run()` keeps open as a `Service`: reconnected with backoff when it drops,
/// after which the topology declared through the client is declared again and consumers resume.
///
/// Publishing goes through one channel in confirm mode, so ``publish(_:exchange:routingKey:mandatory:properties:)``
/// returns only once the broker took the message. While no connection is up it fails at once with
/// ``AMQPError/Code/connectionLost`` rather than queueing, so callers (an outbox relay) retry on their own terms.
public final class AMQPClient: Service, Sendable {
    private struct State {
        var connection: AMQPConnection?
        var publisher: AMQPChannel?
        var topology = AMQPTopology()
        var stopped = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<AMQPConnection?, Never>] = [:]
    }

    /// Where and how to connect.
    public let configuration: AMQPConfiguration
    private let backoff: Backoff
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state = Mutex(State())

    /// Creates a client; it connects once `run()` starts.
    public init(
        configuration: AMQPConfiguration, backoff: Backoff = Backoff(), eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "amqp.client")
    ) {
        self.configuration = configuration
        self.backoff = backoff
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Keeps a connection open until graceful shutdown or cancellation, then closes it.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.maintain()
        }
        let waiters = state.withLock { state in
            state.stopped = true
            state.connection = nil
            state.publisher = nil
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// Whether a connection is up right now.
    public var isConnected: Bool { state.withLock { $0.connection?.isOpen == true } }

    /// Waits until a connection is up and its topology declared; nil once the client has stopped.
    public func waitForConnection() async throws -> AMQPConnection? {
        while true {
            try Task.checkCancellation()
            let id: Int? = state.withLock { state in
                if state.stopped || state.connection?.isOpen == true { return nil }
                state.nextWaiter += 1
                return state.nextWaiter
            }
            guard let id else { return state.withLock { state in state.stopped ? nil : state.connection } }
            let connection = await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state -> Bool in
                        if state.stopped || state.connection?.isOpen == true || Task.isCancelled { return true }
                        state.waiters[id] = continuation
                        return false
                    }
                    if resumeNow { continuation.resume(returning: nil) }
                }
            } onCancel: {
                state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
            }
            if let connection, connection.isOpen { return connection }
            if state.withLock({ $0.stopped }) { return nil }
        }
    }

    // MARK: topology

    /// Declares an exchange now (when connected) and after every reconnect.
    public func exchangeDeclare(
        _ name: String, type: String, durable: Bool = false, autoDelete: Bool = false, internal: Bool = false, arguments: AMQPFieldTable = [:]
    ) async throws {
        try await declare(.exchange(name: name, type: type, durable: durable, autoDelete: autoDelete, internal: `internal`, arguments: arguments))
    }

    /// Declares a named queue now (when connected) and after every reconnect.
    public func queueDeclare(
        _ name: String, durable: Bool = false, exclusive: Bool = false, autoDelete: Bool = false, arguments: AMQPFieldTable = [:]
    ) async throws {
        precondition(!name.isEmpty, "a queue the client re-declares needs a name")
        try await declare(.queue(name: name, durable: durable, exclusive: exclusive, autoDelete: autoDelete, arguments: arguments))
    }

    /// Binds a queue to an exchange now (when connected) and after every reconnect.
    public func queueBind(_ queue: String, exchange: String, routingKey: String, arguments: AMQPFieldTable = [:]) async throws {
        try await declare(.binding(queue: queue, exchange: exchange, routingKey: routingKey, arguments: arguments))
    }

    /// Removes a binding and forgets it.
    public func queueUnbind(_ queue: String, exchange: String, routingKey: String, arguments: AMQPFieldTable = [:]) async throws {
        state.withLock { $0.topology.removeBinding(queue: queue, exchange: exchange, routingKey: routingKey, arguments: arguments) }
        try await withTemporaryChannel { try await $0.queueUnbind(queue, exchange: exchange, routingKey: routingKey, arguments: arguments) }
    }

    /// Deletes a queue and forgets it and its bindings.
    public func queueDelete(_ name: String) async throws {
        state.withLock { $0.topology.removeQueue(name) }
        try await withTemporaryChannel { try await $0.queueDelete(name) }
    }

    /// Deletes an exchange and forgets it and the bindings to it.
    public func exchangeDelete(_ name: String) async throws {
        state.withLock { $0.topology.removeExchange(name) }
        try await withTemporaryChannel { try await $0.exchangeDelete(name) }
    }

    private func declare(_ item: AMQPTopology.Item) async throws {
        state.withLock { $0.topology.record(item) }
        guard isConnected else { return }  // declared with the rest on connecting
        var single = AMQPTopology()
        single.record(item)
        try await withTemporaryChannel { try await single.declare(on: $0) }
    }

    private func withTemporaryChannel(_ body: (AMQPChannel) async throws -> Void) async throws {
        guard let connection = state.withLock({ $0.connection }), connection.isOpen else {
            throw AMQPError(code: .connectionLost, message: "not connected to \(configuration.host):\(configuration.port)")
        }
        let channel = try await connection.openChannel()
        do {
            try await body(channel)
            try? await channel.close()
        } catch {
            try? await channel.close()
            throw error
        }
    }

    // MARK: publishing and consuming

    /// Publishes with a publisher confirm: returns once the broker acked it; throws on nack, on return of a
    /// `mandatory` message, or at once when no connection is up.
    public func publish(
        _ body: ByteBuffer, exchange: String, routingKey: String, mandatory: Bool = false, properties: AMQPBasicProperties = AMQPBasicProperties()
    ) async throws {
        let channel = try await publisherChannel()
        try await channel.basicPublish(body, exchange: exchange, routingKey: routingKey, mandatory: mandatory, properties: properties)
    }

    /// Publishes several messages in order, with publisher confirms, waiting only once for all of them; throws the
    /// first failure once every one is settled (the others may have been taken: at-least-once callers retry all).
    public func publish(batch messages: [AMQPOutboundMessage]) async throws {
        let channel = try await publisherChannel()
        try await channel.basicPublish(batch: messages)
    }

    /// Writes several messages in order on the publishing channel (in confirm mode) and returns once they are handed
    /// to the connection, without waiting for their confirms: await ``AMQPPublishConfirmation/settled()``. Batches
    /// started one after another go out in that order; fails at once when no connection is up.
    public func startPublishing(batch messages: [AMQPOutboundMessage]) async throws -> AMQPPublishConfirmation {
        let channel = try await publisherChannel()
        return channel.startPublishing(batch: messages)
    }

    /// Consumes from `queue` on a channel of its own with `prefetch` unacknowledged deliveries at most. The sequence
    /// survives reconnects (it subscribes again on the new connection) and ends when the client stops.
    public func consume(queue: String, prefetch: UInt16, arguments: AMQPFieldTable = [:]) -> AMQPClientConsumer {
        AMQPClientConsumer(client: self, queue: queue, prefetch: prefetch, arguments: arguments)
    }

    private func publisherChannel() async throws -> AMQPChannel {
        let (connection, current) = state.withLock { ($0.connection, $0.publisher) }
        if let current, current.isOpen { return current }
        guard let connection, connection.isOpen else {
            throw AMQPError(code: .connectionLost, message: "not connected to \(configuration.host):\(configuration.port)")
        }
        // The broker closed the last one (say, a publish to a missing exchange): open another.
        let channel = try await connection.openChannel()
        try await channel.confirmSelect()
        let extra: AMQPChannel? = state.withLock { state in
            if let existing = state.publisher, existing.isOpen, existing !== channel { return channel }
            state.publisher = channel
            return nil
        }
        if let extra { try? await extra.close() }
        return state.withLock { $0.publisher } ?? channel
    }

    // MARK: connection upkeep

    private func maintain() async {
        await Reconnector(backoff: backoff).run(
            connect: { try await connectAndDeclare() },
            serve: { connection in
                logger.info("connected to RabbitMQ", metadata: ["host": "\(configuration.host)", "port": "\(configuration.port)"])
                let reason = await connection.waitUntilClosed()
                state.withLock { state in
                    if state.connection === connection {
                        state.connection = nil
                        state.publisher = nil
                    }
                }
                if !Task.isCancelled {
                    logger.warning("RabbitMQ connection lost; reconnecting", metadata: ["reason": "\(reason.map { "\($0)" } ?? "closed")"])
                }
            },
            startClose: { $0.startClose() },
            failed: { error, delay in logger.warning("cannot connect to RabbitMQ", metadata: ["error": "\(error)", "retryIn": "\(delay)"]) })
    }

    /// Connects, declares the recorded topology and opens the publishing channel, then wakes the waiters.
    private func connectAndDeclare() async throws -> AMQPConnection {
        let connection = try await AMQPConnection.connect(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        do {
            let setup = try await connection.openChannel()
            try await state.withLock { $0.topology }.declare(on: setup)
            try await setup.close()
            let publisher = try await connection.openChannel()
            try await publisher.confirmSelect()
            let waiters = state.withLock { state in
                state.connection = connection
                state.publisher = publisher
                defer { state.waiters.removeAll() }
                return Array(state.waiters.values)
            }
            for waiter in waiters { waiter.resume(returning: connection) }
            return connection
        } catch {
            await connection.close()
            throw error
        }
    }
}
