import NIOCore
import NIOHPACK
import NIOHTTP2

/// The requests of one HTTP/2 connection, each on a stream of its own, written as frames straight onto the connection
/// behind `NIOHTTP2Handler` (no channel per stream: a push is a `HEADERS` and a `DATA` frame out and a `HEADERS` frame
/// back, and a stream channel per push cost more than the rest of the push).
///
/// It opens no more streams than the server's `SETTINGS_MAX_CONCURRENT_STREAMS`; other requests wait in order in its
/// queue, where nothing of them has reached the connection, so one whose deadline passes there, or that is still
/// queued when the server sends `GOAWAY` or the connection closes, was never sent. A request on a stream that the
/// server reset with `REFUSED_STREAM` or left above a `GOAWAY`'s last stream, or whose `HEADERS` could not be written,
/// was never sent either; any other request without an answer may have been carried out. Each request's frames are
/// flushed through NIOHTTP2 at once, and the ``FlushCoalescer`` under it makes one TLS write of a tick's requests.
///
/// Lives on the connection's event loop: ``submit(_:)`` and everything else run there.
final class HTTP2ClientStreams: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = HTTP2Frame
    typealias OutboundIn = Never
    typealias OutboundOut = HTTP2Frame

    /// The limit assumed until the server's SETTINGS arrive (RFC 9113 advises servers to allow at least 100).
    static let initialLimit = 100

    private let health: ConnectionHealth
    private var context: ChannelHandlerContext?
    private var deadlines: DeadlineQueue?
    private var limit = initialLimit
    private var open: [HTTP2StreamID: PendingRequest] = [:]
    private var waiting = CircularBuffer<PendingRequest>()
    private var nextStreamID = HTTP2StreamID(1)
    private var closedReason: String?

    init(health: ConnectionHealth) { self.health = health }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        deadlines = DeadlineQueue(eventLoop: context.eventLoop) { [weak self] request in self?.deadlinePassed(request) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        close("the connection closed before the request could be sent", inFlight: "the connection closed before the answer")
        self.context = nil
    }

    /// Sends `request` now, or once a stream comes free.
    func submit(_ request: PendingRequest) {
        guard let context, closedReason == nil else {
            request.fail(.neverSent, closedReason ?? "the connection is gone")
            return
        }
        deadlines?.add(request)
        if open.count < limit && waiting.isEmpty {
            start(request, context: context)
        } else {
            waiting.append(request)
        }
    }

    private func start(_ request: PendingRequest, context: ChannelHandlerContext) {
        let streamID = nextStreamID
        nextStreamID = streamID.advanced(by: 2)
        request.streamID = streamID
        open[streamID] = request
        let headersWritten = context.eventLoop.makePromise(of: Void.self)
        headersWritten.futureResult.whenFailure { _ in request.writeFailed = true }
        if let body = request.request.body {
            context.write(
                wrapOutboundOut(HTTP2Frame(streamID: streamID, payload: .headers(.init(headers: request.request.headers, endStream: false)))),
                promise: headersWritten)
            context.write(
                wrapOutboundOut(HTTP2Frame(streamID: streamID, payload: .data(.init(data: .byteBuffer(body), endStream: true)))), promise: nil)
        } else {
            context.write(
                wrapOutboundOut(HTTP2Frame(streamID: streamID, payload: .headers(.init(headers: request.request.headers, endStream: true)))),
                promise: headersWritten)
        }
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.payload {
        case .headers(let headers):
            if let request = open[frame.streamID], request.received(headers: headers) { finish(frame.streamID) }
        case .data(let data):
            if let request = open[frame.streamID], request.received(data: data) { finish(frame.streamID) }
        case .goAway:
            health.retire()
            close("the server sent GOAWAY before the request could be sent", inFlight: nil)
        case .settings(.settings(let settings)):
            for setting in settings where setting.parameter == .maxConcurrentStreams {
                limit = setting.value
                startWaiting(context: context)
            }
        default:
            break
        }
    }

    private func finish(_ streamID: HTTP2StreamID) {
        open[streamID]?.complete()
        deadlines?.prune()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let closed = event as? StreamClosedEvent, let request = open.removeValue(forKey: closed.streamID) {
            if request.writeFailed || closed.reason == .refusedStream {
                request.fail(.neverSent, "the server did not take the request")
            } else {
                request.fail(.outcomeUnknown, "the stream closed before the answer")
            }
            deadlines?.prune()
            startWaiting(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? NIOHTTP2Errors.StreamClosed, let request = open[error.streamID] {
            // The stream is gone; its StreamClosedEvent (or the connection's end) settles the request.
            if error.errorCode == .refusedStream { request.writeFailed = true }
            return
        }
        // NIOHTTP2 answers its own errors (a stream's with RST_STREAM, the connection's with GOAWAY and closing);
        // anything else (TLS, the socket) ends the connection here.
        if error is any NIOHTTP2Error { return }
        health.retire()
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        health.retire()
        close("the connection closed before the request could be sent", inFlight: "the connection closed before the answer")
        context.fireChannelInactive()
    }

    private func startWaiting(context: ChannelHandlerContext) {
        while closedReason == nil, open.count < limit, let request = waiting.popFirst() {
            if !request.finished { start(request, context: context) }
        }
    }

    /// No new streams: queued requests fail as never sent; in-flight ones fail as unknown when `inFlight` says why.
    private func close(_ reason: String, inFlight: String?) {
        if closedReason == nil { closedReason = reason }
        while let request = waiting.popFirst() { request.fail(.neverSent, reason) }
        if let inFlight {
            for request in open.values {
                request.fail(request.writeFailed ? .neverSent : .outcomeUnknown, inFlight)
            }
            open.removeAll()
        }
    }

    private func deadlinePassed(_ request: PendingRequest) {
        guard !request.finished else { return }
        guard let streamID = request.streamID else {
            request.fail(.neverSent, "no stream came free before the deadline")
            return
        }
        request.fail(request.writeFailed ? .neverSent : .outcomeUnknown, "no answer before the deadline")
        if open[streamID] != nil, let context {
            context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: streamID, payload: .rstStream(.cancel))), promise: nil)
        }
    }
}
