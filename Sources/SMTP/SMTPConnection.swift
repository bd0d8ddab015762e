import ClientSupport
import ClientTLS
import Logging
import NIOCore
import NIOPosix

/// One SMTP session with a server, set up (greeting, `EHLO`, `STARTTLS`, `AUTH`) and ready for mail. Messages sent
/// concurrently go one transaction after another.
public final class SMTPConnection: Sendable {
    let channel: any Channel
    private let logger: Logger

    /// What the server offers, from its last `EHLO` reply.
    public let capabilities: SMTPCapabilities

    private init(channel: any Channel, capabilities: SMTPCapabilities, logger: Logger) {
        self.channel = channel
        self.capabilities = capabilities
        self.logger = logger
    }

    /// Connects (with TLS first for implicit TLS) and sets the session up; returns once it can take mail.
    public static func connect(
        configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "smtp")
    ) async throws(SMTPError) -> SMTPConnection {
        let eventLoop = eventLoopGroup.next()
        let ready = eventLoop.makePromise(of: SMTPCapabilities.self)
        let (host, port) = (configuration.host, configuration.port)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if configuration.tlsMode == .implicit { try pipeline.addHandler(try configuration.tls.makeHandler(connectingTo: host)) }
                        try pipeline.addHandler(SMTPChannelHandler(configuration: configuration, ready: ready, logger: logger))
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch {
            let smtpError = SMTPError(code: .connectionLost, message: "cannot connect to \(host):\(port): \(error)")
            ready.fail(smtpError)
            throw smtpError
        }
        do {
            let capabilities = try await ready.futureResult.get()
            logger.debug("connected", metadata: ["host": "\(host)", "port": "\(port)"])
            return SMTPConnection(channel: channel, capabilities: capabilities, logger: logger)
        } catch {
            try? await channel.close()
            throw error as? SMTPError ?? SMTPError(code: .connectionLost, message: "\(error)")
        }
    }

    /// Sends a prepared message to the envelope's recipients and reports each recipient's outcome.
    ///
    /// Refusals by the server are in the report (4xx transient, 5xx permanent, per recipient); the call throws only
    /// when the message could not be tried: the connection failed or timed out, the envelope is invalid, or the server
    /// lacks what the message needs.
    public func send(_ message: SMTPMessageData, envelope: SMTPEnvelope) async throws(SMTPError) -> SMTPDeliveryReport {
        let promise = channel.eventLoop.makePromise(of: SMTPDeliveryReport.self)
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            promise.fail(error as? SMTPError ?? SMTPError(code: .connectionLost, message: "\(error)"))
        }
        channel.writeAndFlush(SMTPRequest(envelope: envelope, message: message, promise: promise), promise: written)
        do {
            return try await promise.futureResult.get()
        } catch {
            throw error as? SMTPError ?? SMTPError(code: .connectionLost, message: "\(error)")
        }
    }

    /// Whether the connection is still open.
    public var isActive: Bool { channel.isActive }

    /// Ends the session with `QUIT` once messages already given are done, and waits until the connection closes.
    public func close() async {
        await channel.closeGracefully(with: SMTPQuitEvent())
        logger.debug("closed")
    }

    /// Waits until the connection closes, for whatever reason.
    public func waitUntilClosed() async {
        try? await channel.closeFuture.get()
    }
}
