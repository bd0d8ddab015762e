import ClientSupport
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// One connection to a RabbitMQ broker, carrying any number of ``AMQPChannel``s.
public final class AMQPConnection: Sendable {
    /// State the handler's callbacks fill in from the event loop, read from anywhere.
    private final class Shared: Sendable {
        struct Values {
            var blockedReason: String?
            var closeReason: AMQPError?
            var isClosed = false
        }

        let values = Mutex(Values())
    }

    let channel: any Channel
    /// The limits settled with the broker in the handshake.
    public let tuning: AMQPTuning
    /// What the broker said about itself in connection.start (product, version, capabilities, …).
    public let serverProperties: AMQPFieldTable
    /// `mandatory` messages the broker could not route, from every channel; the newest 1,024 are buffered.
    ///
    /// On a channel in confirm mode the publish itself also fails with ``AMQPError/Code/messageReturned``.
    public let returnedMessages: AsyncStream<AMQPReturnedMessage>
    private let shared: Shared
    private let logger: Logger

    private init(
        channel: any Channel, tuning: AMQPTuning, serverProperties: AMQPFieldTable, returnedMessages: AsyncStream<AMQPReturnedMessage>,
        shared: Shared, logger: Logger
    ) {
        self.channel = channel
        self.tuning = tuning
        self.serverProperties = serverProperties
        self.returnedMessages = returnedMessages
        self.shared = shared
        self.logger = logger
    }

    /// Connects over TCP (then TLS when the configuration has it) and runs the handshake: protocol header, SASL PLAIN,
    /// tuning, and opening the virtual host.
    public static func connect(
        configuration: AMQPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "amqp")
    ) async throws -> AMQPConnection {
        let eventLoop = eventLoopGroup.next()
        let handshake = eventLoop.makePromise(of: (AMQPTuning, AMQPFieldTable).self)
        let (returns, returnsContinuation) = AsyncStream.makeStream(of: AMQPReturnedMessage.self, bufferingPolicy: .bufferingNewest(1024))
        let state = Shared()
        let callbacks = AMQPConnectionCallbacks(
            connected: { result in handshake.completeWith(result.mapError { $0 as any Error }) },
            blocked: { reason in
                state.values.withLock { $0.blockedReason = reason }
                if let reason {
                    logger.warning("the broker blocked publishing", metadata: ["reason": "\(reason)"])
                } else {
                    logger.info("the broker unblocked publishing")
                }
            },
            returned: { _, message in returnsContinuation.yield(message) },
            closed: { reason in
                state.values.withLock {
                    $0.closeReason = reason
                    $0.isClosed = true
                }
                returnsContinuation.finish()
            }
        )
        let settings = AMQPConnectionStateMachine<AMQPChannelHandler.Pending>.Settings(
            username: configuration.username, password: configuration.password, virtualHost: configuration.virtualHost,
            tuning: configuration.tuning, clientProperties: configuration.clientProperties)
        let timeout = TimeAmount(configuration.connectTimeout)
        let (host, port, tls) = (configuration.host, configuration.port, configuration.tls)
        let tlsHandshake = tls.map { _ in eventLoop.makePromise(of: Void.self) }
        let tlsTimeout = configuration.connectTimeout
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(timeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let tls, let tlsHandshake {
                            try pipeline.addHandler(try tls.makeHandler(connectingTo: host))
                            try pipeline.addHandler(AMQPTLSHandshakeHandler(promise: tlsHandshake, timeout: tlsTimeout))
                        }
                        try pipeline.addHandler(AMQPChannelHandler(settings: settings, handshakeTimeout: timeout, callbacks: callbacks))
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch {
            handshake.fail(error)
            tlsHandshake?.fail(error)
            returnsContinuation.finish()
            throw AMQPError(code: .connectionLost, message: "cannot connect to \(host):\(port): \(error)")
        }
        if let tlsHandshake {
            do {
                try await tlsHandshake.futureResult.get()
            } catch {
                try? await channel.close()
                throw AMQPError.tlsHandshakeFailed(error, host: host, port: port, serverName: tls?.serverName)
            }
        }
        do {
            let (tuning, serverProperties) = try await handshake.futureResult.get()
            logger.debug(
                "connected",
                metadata: [
                    "host": "\(host)", "port": "\(port)", "vhost": "\(configuration.virtualHost)", "heartbeat": "\(tuning.heartbeat)",
                    "tls": "\(tls != nil)",
                ])
            return AMQPConnection(
                channel: channel, tuning: tuning, serverProperties: serverProperties, returnedMessages: returns, shared: state, logger: logger)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// Opens a new channel.
    public func openChannel() async throws -> AMQPChannel {
        let status = AMQPChannel.Status()
        let response = try await send(.openChannel(onClose: { error in status.markClosed(error) }))
        guard case .channelOpened(let reference) = response else { throw AMQPError.protocolError("unexpected answer \(response) to channel.open") }
        return AMQPChannel(reference: reference, connection: self, status: status)
    }

    /// Whether the connection is open.
    public var isOpen: Bool { channel.isActive && !shared.values.withLock { $0.isClosed } }

    /// Why the broker blocks publishing right now (connection.blocked), or nil. Publishes wait while it does.
    public var blockedReason: String? { shared.values.withLock { $0.blockedReason } }

    /// Closes gracefully with connection.close and waits for the broker's close-ok; requests still waiting fail.
    public func close() async {
        await channel.closeGracefully(with: AMQPGracefulCloseEvent())
        logger.debug("closed")
    }

    /// Starts a graceful close without waiting for it.
    func startClose() {
        channel.triggerUserOutboundEvent(AMQPGracefulCloseEvent(), promise: nil)
    }

    /// Waits until the connection closes for whatever reason; returns the reason, or nil after ``close()``.
    @discardableResult
    public func waitUntilClosed() async -> AMQPError? {
        try? await channel.closeFuture.get()
        // The handler reports the reason from channelInactive, which runs before closeFuture completes.
        return shared.values.withLock { $0.closeReason }
    }

    func send(_ operation: AMQPRequest.Operation) async throws -> AMQPResponse {
        try await sendWithoutWaiting(operation).get()
    }

    /// Hands several operations to the handler in one hop to its event loop, written in order and flushed once, and
    /// returns the futures of their answers in the same order.
    func sendWithoutWaiting(batch operations: [AMQPRequest.Operation]) -> [EventLoopFuture<AMQPResponse>] {
        let eventLoop = channel.eventLoop
        let requests = operations.map { AMQPRequest(operation: $0, promise: eventLoop.makePromise(of: AMQPResponse.self)) }
        let futures = requests.map(\.promise.futureResult)
        let channel = self.channel
        eventLoop.execute {
            for request in requests {
                let written = eventLoop.makePromise(of: Void.self)
                written.futureResult.whenFailure { error in
                    request.promise.fail(error as? AMQPError ?? AMQPError(code: .connectionLost, message: "\(error)"))
                }
                channel.write(request, promise: written)
            }
            channel.flush()
        }
        return futures
    }

    /// Hands the operation to the handler now (so operations sent one after another go out in that order) and
    /// returns the future of its answer.
    func sendWithoutWaiting(_ operation: AMQPRequest.Operation) -> EventLoopFuture<AMQPResponse> {
        let promise = channel.eventLoop.makePromise(of: AMQPResponse.self)
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            promise.fail(error as? AMQPError ?? AMQPError(code: .connectionLost, message: "\(error)"))
        }
        channel.writeAndFlush(AMQPRequest(operation: operation, promise: promise), promise: written)
        return promise.futureResult
    }
}
