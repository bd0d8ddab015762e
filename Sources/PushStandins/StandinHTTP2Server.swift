import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// An HTTP/2-over-TLS server on a loopback port that hands each whole request to a function and writes the response
/// it returns: the transport the push stand-ins share.
public final class StandinHTTP2Server: Sendable {
    /// A request as the server received it.
    public struct Request: Sendable {
        /// `:method`.
        public var method: String
        /// `:path`.
        public var path: String
        /// The headers, pseudo-headers included.
        public var headers: HPACKHeaders
        /// The body.
        public var body: ByteBuffer
    }

    /// A response to write.
    public struct Response: Sendable {
        /// The status code.
        public var status: Int
        /// The headers.
        public var headers: [(String, String)]
        /// The body.
        public var body: [UInt8]

        /// Creates a response.
        public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    /// Answers a request on the connection's event loop; `nil` leaves it unanswered (a server that hangs).
    public typealias Handler = @Sendable (Request) -> Response?

    private let channel: any Channel
    private let connections: Connections
    /// The port it listens on.
    public let port: Int

    private init(channel: any Channel, connections: Connections, port: Int) {
        self.channel = channel
        self.connections = connections
        self.port = port
    }

    /// The open client connections.
    final class Connections: Sendable {
        private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

        func add(_ channel: any Channel) {
            channels.withLock { $0[ObjectIdentifier(channel)] = channel }
            channel.closeFuture.whenComplete { _ in _ = self.channels.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) } }
        }

        var all: [any Channel] { channels.withLock { Array($0.values) } }
    }

    /// Starts listening on `host`:`port` (0 picks a free port) with `certificate`, announcing
    /// `maximumConcurrentStreams` in its SETTINGS.
    public static func start(
        host: String = "127.0.0.1", port: Int = 0, certificate: StandinCertificate, maximumConcurrentStreams: Int = 1000,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, handler: @escaping Handler
    ) async throws -> StandinHTTP2Server {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(certificate.serverCertificate)], privateKey: .privateKey(certificate.serverKey))
        tls.applicationProtocols = ["h2"]
        let context = try NIOSSLContext(configuration: tls)
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        connection.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: maximumConcurrentStreams),
            HTTP2Setting(parameter: .maxHeaderListSize, value: HPACKDecoder.defaultMaxHeaderListSize),
        ]
        // A connection window of 1 MiB, as production HTTP/2 servers announce: with HTTP/2's 64 KiB default, a client
        // with a thousand 4 KiB pushes in flight spends its time waiting for WINDOW_UPDATEs.
        connection.targetWindowSize = 1 << 20
        // Clients that open thousands of streams a second are what this server is for, not an attack.
        connection.maximumRecentlyResetStreams = 10_000
        connection.maximumConnectionGlitches = 1_000_000
        connection.controlFrameRateLimit.maximumCount = 1_000_000
        var stream = NIOHTTP2Handler.StreamConfiguration()
        stream.streamResetFrameRateLimit.maximumCount = 1_000_000
        stream.streamErrorRateLimit.maximumCount = 1_000_000
        let streamConfiguration = stream
        let connectionConfiguration = connection
        let connections = Connections()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .server, connectionConfiguration: connectionConfiguration, streamConfiguration: streamConfiguration
                    ) { stream in
                        stream.eventLoop.makeCompletedFuture { try stream.pipeline.syncOperations.addHandler(StandinStreamHandler(handler: handler)) }
                    }
                }
            }
            .bind(host: host, port: port).get()
        return StandinHTTP2Server(channel: channel, connections: connections, port: channel.localAddress?.port ?? port)
    }

    /// Sends `GOAWAY` on every open connection (as a server going down for maintenance does), then closes them.
    public func goAway() async {
        for channel in connections.all {
            let frame = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: .maxID, errorCode: .noError, opaqueData: nil))
            try? await channel.writeAndFlush(frame)
            try? await channel.close()
        }
    }

    /// Stops listening (open connections are left to their clients).
    public func stop() async {
        try? await channel.close()
    }
}

/// Gathers one stream's request and writes the handler's response.
final class StandinStreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let handler: StandinHTTP2Server.Handler
    private var headers = HPACKHeaders()
    private var body = ByteBuffer()

    init(handler: @escaping StandinHTTP2Server.Handler) { self.handler = handler }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .headers(let frame):
            headers.add(contentsOf: frame.headers)
            if frame.endStream { respond(context: context) }
        case .data(let frame):
            if case .byteBuffer(var chunk) = frame.data { body.writeBuffer(&chunk) }
            if frame.endStream { respond(context: context) }
        default:
            break
        }
    }

    private func respond(context: ChannelHandlerContext) {
        let request = StandinHTTP2Server.Request(
            method: headers.first(name: ":method") ?? "", path: headers.first(name: ":path") ?? "", headers: headers, body: body)
        guard let response = handler(request) else { return }
        var out = HPACKHeaders()
        out.add(name: ":status", value: String(response.status))
        for (name, value) in response.headers { out.add(name: name, value: value) }
        if response.body.isEmpty {
            context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: out, endStream: true))), promise: nil)
        } else {
            out.add(name: "content-length", value: String(response.body.count))
            context.write(wrapOutboundOut(.headers(.init(headers: out, endStream: false))), promise: nil)
            let buffer = context.channel.allocator.buffer(bytes: response.body)
            context.writeAndFlush(wrapOutboundOut(.data(.init(data: .byteBuffer(buffer), endStream: true))), promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
