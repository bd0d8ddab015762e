import ClientSupport
import ClientTLS
import Foundation
import NIOCore
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// One provider host over one HTTP/2 connection over TLS, opened when first needed and opened again after the server's
/// `GOAWAY` or a failure. Every request is a stream of that connection (``HTTP2ClientStreams``): requests beyond the
/// server's `MAX_CONCURRENT_STREAMS` wait in its queue until a stream closes (still unsent, so a deadline passing there
/// is ``PushError/Code/neverSent``). After a failed connect, calls fail at once as never sent until the backoff's
/// delay has passed, so an unreachable provider costs no connect per call.
final class HTTP2Endpoint: Sendable {
    /// A live connection.
    struct Connection: Sendable {
        let channel: any Channel
        let streams: HTTP2ClientStreams
        let health: ConnectionHealth
    }

    private enum State {
        case idle
        case connecting(EventLoopFuture<Connection>)
        case ready(Connection)
        case failed(at: NIODeadline, failures: Int, message: String)
        case shutDown
    }

    let host: String
    let port: Int
    /// `host:port` as `:authority`, the port left out when it is 443.
    let authority: String
    private let tls: NIOSSLContext
    private let serverHostname: String?
    private let group: any EventLoopGroup
    private let connectTimeout: Duration
    private let backoff: Backoff
    private let state = Mutex<State>(.idle)
    private let connects = Atomic<Int>(0)

    /// A connection to `url`'s host (an `https` URL) with `tls`'s trust settings and ALPN `h2`.
    init(url: String, tls: ClientTLSConfiguration, group: any EventLoopGroup, connectTimeout: Duration, backoff: Backoff) throws(PushError) {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "https", let host = components.host, !host.isEmpty
        else {
            throw PushError(.invalidConfiguration, "the provider URL \(url) is not an https URL with a host")
        }
        self.host = host
        port = components.port ?? 443
        authority = port == 443 ? host : "\(host):\(port)"
        var configuration = tls.configuration
        configuration.applicationProtocols = ["h2"]
        do {
            self.tls = try NIOSSLContext(configuration: configuration)
        } catch {
            throw PushError(.invalidConfiguration, "invalid TLS settings: \(error)")
        }
        serverHostname = tls.serverHostname(connectingTo: host)
        self.group = group
        self.connectTimeout = connectTimeout
        self.backoff = backoff
    }

    /// What the client announces: no server push, headers up to 16 KiB.
    private static let settings: HTTP2Settings = [
        HTTP2Setting(parameter: .enablePush, value: 0), HTTP2Setting(parameter: .maxHeaderListSize, value: 16 << 10),
    ]

    /// How many connections were opened so far.
    var connectionsOpened: Int { connects.load(ordering: .relaxed) }

    /// Sends `request` and waits for its answer until `deadline`; `what` names it in errors.
    func send(_ request: HTTP2Request, deadline: NIODeadline, what: String) async throws(PushError) -> HTTP2Response {
        let connection = try await connection(deadline: deadline)
        let eventLoop = connection.channel.eventLoop
        let streams = connection.streams
        let result = await withUnsafeContinuation { continuation in
            let pending = PendingRequest(request: request, continuation: continuation, deadline: deadline, what: what)
            if eventLoop.inEventLoop {
                streams.submit(pending)
            } else {
                eventLoop.execute { streams.submit(pending) }
            }
        }
        return try result.get()
    }

    /// The live connection, or a new one.
    private func connection(deadline: NIODeadline) async throws(PushError) -> Connection {
        enum Next {
            case use(Connection)
            case wait(EventLoopFuture<Connection>)
            case fail(PushError)
        }
        let next: Next = state.withLock { state in
            switch state {
            case .ready(let connection) where connection.health.isUsable:
                return .use(connection)
            case .connecting(let future):
                return .wait(future)
            case .failed(let at, let failures, let message) where NIODeadline.now() < at + .init(backoff.delay(afterFailures: failures)):
                return .fail(PushError(.neverSent, "connecting to \(authority) failed recently: \(message)"))
            case .shutDown:
                return .fail(PushError(.shutDown, "the client was shut down"))
            case .idle, .ready, .failed:
                let failures: Int
                if case .failed(_, let count, _) = state { failures = count } else { failures = 0 }
                let future = connect(deadline: deadline)
                state = .connecting(future)
                future.whenComplete { result in self.settle(result, failuresBefore: failures) }
                return .wait(future)
            }
        }
        switch next {
        case .use(let connection):
            return connection
        case .fail(let error):
            throw error
        case .wait(let future):
            do {
                return try await future.get()
            } catch let error as PushError {
                throw error
            } catch {
                throw PushError(.neverSent, "connecting to \(authority): \(error)")
            }
        }
    }

    private func settle(_ result: Result<Connection, any Error>, failuresBefore: Int) {
        let stale: Connection? = state.withLock { state in
            guard case .connecting = state else {
                if case .success(let connection) = result { return connection }
                return nil
            }
            switch result {
            case .success(let connection): state = .ready(connection)
            case .failure(let error): state = .failed(at: .now(), failures: failuresBefore + 1, message: "\(error)")
            }
            return nil
        }
        stale?.channel.close(promise: nil)
    }

    private func connect(deadline: NIODeadline) -> EventLoopFuture<Connection> {
        connects.add(1, ordering: .relaxed)
        let eventLoop = group.next()
        let handshake = eventLoop.makePromise(of: Void.self)
        let health = ConnectionHealth()
        let streams = HTTP2ClientStreams(health: health)
        let remaining = max(deadline - .now(), .milliseconds(1))
        let timeout = min(TimeAmount(connectTimeout), remaining)
        let authority = authority
        let context = tls
        let serverHostname = serverHostname
        let connected = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverHostname))
                    try operations.addHandler(
                        TLSHandshakeHandler(
                            promise: handshake, timeout: Duration(timeout),
                            closed: { PushError(.neverSent, "\(authority) closed the connection during the TLS handshake") },
                            timedOut: { PushError(.neverSent, "the TLS handshake with \(authority) took over \($0)") }))
                    try operations.addHandler(FlushCoalescer())
                    // The clients build every header from checked values, and read only `:status` and a few headers of
                    // the answers: NIOHTTP2's check of each header block costs more than the rest of a push's headers.
                    try operations.addHandler(NIOHTTP2Handler(mode: .client, initialSettings: Self.settings, headerBlockValidation: .disabled))
                    try operations.addHandler(streams)
                }
            }
            .connect(host: host, port: port)
        connected.whenFailure { handshake.fail($0) }
        return connected.flatMap { channel in
            handshake.futureResult.flatMapError { error in
                channel.close(promise: nil)
                return channel.eventLoop.makeFailedFuture(error)
            }.map { Connection(channel: channel, streams: streams, health: health) }
        }.flatMapErrorThrowing { error in
            if let error = error as? PushError { throw error }
            throw PushError(.neverSent, "connecting to \(authority): \(error)")
        }
    }

    /// Closes the connection; calls after it fail with ``PushError/Code/shutDown``.
    func shutdown() async {
        let previous = state.withLock { state in
            let previous = state
            state = .shutDown
            return previous
        }
        switch previous {
        case .ready(let connection): try? await connection.channel.close()
        case .connecting(let future): try? await future.get().channel.close()
        default: break
        }
    }
}

/// Whether a connection may carry new streams: not after the server's `GOAWAY`, nor once it closed.
final class ConnectionHealth: Sendable {
    private let usable = Atomic<Bool>(true)

    /// Whether new streams may use the connection.
    var isUsable: Bool { usable.load(ordering: .relaxed) }

    /// No new streams from now on.
    func retire() { usable.store(false, ordering: .relaxed) }
}

extension TimeAmount {
    /// `duration` in nanoseconds.
    init(_ duration: Duration) {
        let parts = duration.components
        self = .nanoseconds(parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
    }
}

extension Duration {
    /// `amount` as a `Duration`.
    init(_ amount: TimeAmount) { self = .nanoseconds(amount.nanoseconds) }
}
