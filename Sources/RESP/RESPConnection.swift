import ClientSupport
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// One connection to a Redis server. Commands sent concurrently are pipelined on it and answered in order.
public final class RESPConnection: RESPCommandExecutor {
    let channel: any Channel
    let commandTimeout: TimeAmount?
    private let logger: Logger
    private let executor: EventLoopTaskExecutor

    /// Out-of-band RESP3 push messages (for example client-tracking invalidations); the newest 1,024 are buffered.
    public let pushes: AsyncStream<RESPValue>

    /// The server's `HELLO 3` reply (server name, version, protocol, …), or `nil` on RESP2.
    public let serverInfo: RESPValue?

    private init(channel: any Channel, commandTimeout: Duration?, pushes: AsyncStream<RESPValue>, serverInfo: RESPValue?, logger: Logger) {
        self.channel = channel
        self.commandTimeout = commandTimeout.map { TimeAmount($0) }
        self.pushes = pushes
        self.serverInfo = serverInfo
        self.logger = logger
        self.executor = EventLoopTaskExecutor(eventLoop: channel.eventLoop)
    }

    /// Connects (with TLS first when the configuration has it), then runs the handshake: `HELLO 3` (with `AUTH` when a
    /// password is set) or `AUTH` on RESP2, and `SELECT`.
    public static func connect(
        configuration: RESPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "resp")
    ) async throws -> RESPConnection {
        let (pushes, continuation) = AsyncStream.makeStream(of: RESPValue.self, bufferingPolicy: .bufferingNewest(1024))
        let limits = configuration.decoderLimits
        let (host, port, tls) = (configuration.host, configuration.port, configuration.tls)
        let eventLoop = eventLoopGroup.next()
        let tlsHandshake = tls.map { _ in eventLoop.makePromise(of: Void.self) }
        let handshakeTimeout = configuration.connectTimeout
        // Under TLS 1.3 a server refuses a client certificate after the client's side of the handshake is done: the
        // alert closes the channel, and the first command then fails with no more than "I/O on closed channel".
        let breakage = Mutex<RESPError?>(nil)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let tls, let tlsHandshake {
                            try pipeline.addHandler(try tls.makeHandler(connectingTo: host))
                            try pipeline.addHandler(RESPTLSHandshakeHandler(promise: tlsHandshake, timeout: handshakeTimeout))
                        }
                        try pipeline.addHandler(
                            RESPChannelHandler(limits: limits, onPush: { continuation.yield($0) }) { error in
                                breakage.withLock { $0 = $0 ?? error }
                            })
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch {
            tlsHandshake?.fail(error)
            continuation.finish()
            throw RESPError(code: .connectionLost, message: "cannot connect to \(host):\(port): \(error)")
        }
        if let tlsHandshake {
            do {
                try await tlsHandshake.futureResult.get()
            } catch {
                try? await channel.close()
                continuation.finish()
                throw RESPError.tlsHandshakeFailed(error, host: host, port: port, serverName: tls?.serverName)
            }
        }
        channel.closeFuture.whenComplete { _ in continuation.finish() }
        let timeout = configuration.commandTimeout
        do {
            var serverInfo: RESPValue?
            if configuration.protocolVersion == .resp3 {
                var hello = ["HELLO", "3"]
                if let password = configuration.password { hello += ["AUTH", configuration.username ?? "default", password] }
                serverInfo = try await send(hello, on: channel, timeout: timeout.map { TimeAmount($0) })
            } else if let password = configuration.password {
                let auth = configuration.username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
                _ = try await send(auth, on: channel, timeout: timeout.map { TimeAmount($0) })
            }
            if configuration.database != 0 {
                _ = try await send(["SELECT", String(configuration.database)], on: channel, timeout: timeout.map { TimeAmount($0) })
            }
            logger.debug("connected", metadata: ["host": "\(host)", "port": "\(port)", "tls": "\(tls != nil)"])
            return RESPConnection(channel: channel, commandTimeout: timeout, pushes: pushes, serverInfo: serverInfo, logger: logger)
        } catch {
            try? await channel.close()
            throw breakage.withLock { $0 } ?? error
        }
    }

    /// Wraps an already set-up channel whose pipeline holds the RESP handler (used by tests).
    static func wrapping(_ channel: any Channel, commandTimeout: Duration?) -> RESPConnection {
        RESPConnection(
            channel: channel, commandTimeout: commandTimeout, pushes: AsyncStream { $0.finish() }, serverInfo: nil, logger: Logger(label: "resp"))
    }

    /// Sends a command with the configured timeout.
    public func send(_ command: [String]) async throws -> RESPValue {
        try await Self.send(command, on: channel, timeout: commandTimeout)
    }

    /// Sends a command with its own timeout (`nil` waits for ever).
    public func send(_ command: [String], timeout: Duration?) async throws -> RESPValue {
        try await Self.send(command, on: channel, timeout: timeout.map { TimeAmount($0) })
    }

    /// Sends a typed command (see ``RESPCommand``) with the configured timeout.
    public func send(_ command: RESPCommand) async throws -> RESPValue {
        try await Self.send(command, on: channel, timeout: commandTimeout)
    }

    /// A task executor on the connection's event loop. A task that sends many commands in a row on this connection
    /// (a pipelining load, a bulk import) runs fastest with it as its executor preference, for example
    /// `group.addTask(executorPreference: connection.taskExecutor) { … }`: each reply then resumes the task on the
    /// thread that read it, instead of waking a thread of the global pool and handing the next write back.
    public var taskExecutor: any TaskExecutor { executor }

    /// Whether the connection is still open.
    public var isActive: Bool { channel.isActive }

    /// Closes the connection after the replies to commands already sent arrive; new commands are refused at once.
    public func close() async {
        await channel.closeGracefully(with: RESPGracefulCloseEvent())
        logger.debug("closed")
    }

    /// Starts a graceful close without waiting for it.
    func startClose() {
        channel.triggerUserOutboundEvent(RESPGracefulCloseEvent(), promise: nil)
    }

    /// Waits until the connection closes, for whatever reason.
    public func waitUntilClosed() async {
        try? await channel.closeFuture.get()
    }

    private static func send(_ command: [String], on channel: any Channel, timeout: TimeAmount?) async throws -> RESPValue {
        try await send(RESPCommand(command), on: channel, timeout: timeout)
    }

    private static func send(_ command: RESPCommand, on channel: any Channel, timeout: TimeAmount?) async throws -> RESPValue {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let writePromise = channel.eventLoop.makePromise(of: Void.self)
        writePromise.futureResult.whenFailure { error in
            promise.fail(error as? RESPError ?? RESPError(code: .connectionLost, message: "\(error)"))
        }
        channel.writeAndFlush(RESPRequest(command: command, promise: promise, timeout: timeout), promise: writePromise)
        return try await promise.futureResult.get()
    }
}
