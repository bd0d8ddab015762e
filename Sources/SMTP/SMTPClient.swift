import ClientSupport
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A small pool of SMTP connections to one server, run as a `Service`: a few connections, opened as messages need
/// them (with backoff when connecting fails), each reused for many messages, closed when idle, and ended with `QUIT`
/// on graceful shutdown.
public final class SMTPClient: Service, Sendable {
    /// Where and how each connection connects.
    public let configuration: SMTPConfiguration
    private let pool: SMTPConnectionPool
    private let idleTimeout: Duration

    /// Creates a client; connections open when the first messages are sent.
    ///
    /// - Parameters:
    ///   - maximumConnections: The most connections open at once (servers limit connections per client; a few is usual).
    ///   - messagesPerConnection: Messages one connection carries at once once every connection is open: queued behind
    ///     each other, the next one's commands sent behind the current message when the server pipelines.
    ///   - idleTimeout: How long a connection may sit unused before it is closed.
    ///   - backoff: The pauses between attempts to connect.
    ///   - connectAttempts: How many times a message's connection is tried before the message fails.
    public init(
        configuration: SMTPConfiguration, maximumConnections: Int = 3, messagesPerConnection: Int = 2, idleTimeout: Duration = .seconds(30),
        backoff: Backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(10)), connectAttempts: Int = 3,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger = Logger(label: "smtp.client")
    ) {
        precondition(maximumConnections > 0, "a pool needs at least one connection")
        self.configuration = configuration
        self.idleTimeout = idleTimeout
        self.pool = SMTPConnectionPool(
            configuration: configuration, maximum: maximumConnections, perConnection: messagesPerConnection, idleTimeout: idleTimeout,
            backoff: backoff,
            connectAttempts: max(connectAttempts, 1), eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Closes idle connections as they expire until graceful shutdown or cancellation, then closes them all.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.idleTimeout / 2)
                await self.pool.closeIdle()
            }
        }
        await pool.shutDown()
    }

    /// How many connections are open, in use or being opened.
    public var openConnectionCount: Int {
        get async { await pool.openCount }
    }

    /// Sends a prepared message on a pooled connection; see ``SMTPConnection/send(_:envelope:)`` for what throws and
    /// what goes in the report.
    ///
    /// A connection that had carried messages before and turns out broken (the server closed it while it sat idle)
    /// before the message was sent is replaced, and the message tried again on another connection.
    public func send(_ message: SMTPMessageData, envelope: SMTPEnvelope) async throws(SMTPError) -> SMTPDeliveryReport {
        while true {
            let (connection, reused) = try await pool.lease()
            do {
                // On the connection's event loop: its replies then resume this task where they arrive, with no thread hop.
                let report = try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: connection.channel.eventLoop)) {
                    () async throws(SMTPError) -> SMTPDeliveryReport in try await connection.send(message, envelope: envelope)
                }
                await pool.release(connection)
                return report
            } catch {
                await pool.release(connection)
                guard reused, error.code == .connectionLost, !error.deliveryUnknown, error.reply == nil else { throw error }
            }
        }
    }
}
