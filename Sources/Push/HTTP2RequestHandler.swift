import NIOCore
import NIOHPACK
import NIOHTTP2

/// Carries one request: waits in its connection's ``StreamGate`` for a stream, writes the request on it, gathers the
/// answer, and tells a request that got no answer and certainly never left (it was still queued in the gate, its
/// stream could not be opened or its `HEADERS` could not be written, or the server refused the stream unprocessed with
/// `REFUSED_STREAM` or a `GOAWAY` below it) from one that may have been carried out.
///
/// Made on the caller's thread and handed to the connection's event loop, where all its state is touched from then on.
final class HTTP2RequestHandler: ChannelDuplexHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundIn = Never
    typealias OutboundOut = HTTP2Frame.FramePayload

    /// The largest answer body read; providers' error bodies are small JSON objects.
    static let maximumResponseBytes = 64 << 10

    private let request: HTTP2Request
    private let promise: EventLoopPromise<HTTP2Response>
    private let deadline: NIODeadline
    private let what: String
    private var gate: StreamGate?
    private var started = false
    private var writeFailed = false
    private var finished = false
    private var status: Int?
    private var headers = HPACKHeaders()
    private var body: ByteBuffer?
    private var refusedUnprocessed = false
    private var streamContext: ChannelHandlerContext?

    /// Answers `promise` before `deadline`; `what` names the request in errors (never a token).
    init(request: HTTP2Request, promise: EventLoopPromise<HTTP2Response>, deadline: NIODeadline, what: String) {
        self.request = request
        self.promise = promise
        self.deadline = deadline
        self.what = what
    }

    /// Whether the request has its answer or its failure.
    var isFinished: Bool { finished }

    /// Starts the clock and queues the request at `gate` (on the gate's event loop).
    func begin(at gate: StreamGate) {
        gate.deadlines.add(self, deadline: deadline)
        gate.submit(self)
    }

    /// The gate gave the request a stream.
    func admitted(gate: StreamGate) { self.gate = gate }

    /// The gate will not give the request a stream.
    func notAdmitted(_ reason: String) {
        if !finished { fail(.neverSent, "\(what): \(reason)") }
    }

    /// The stream could not be opened.
    func streamNotOpened(_ error: any Error) {
        if !finished { fail(.neverSent, "\(what): no stream could be opened: \(error)") }
        releaseStream()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        streamContext = context
        if finished {
            context.close(promise: nil)
        } else if context.channel.isActive {
            start(context: context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !started, !finished else { return }
        started = true
        let headersWritten = context.eventLoop.makePromise(of: Void.self)
        headersWritten.futureResult.whenFailure { _ in self.writeFailed = true }
        if let body = request.body {
            context.write(wrapOutboundOut(.headers(.init(headers: request.headers, endStream: false))), promise: headersWritten)
            context.writeAndFlush(wrapOutboundOut(.data(.init(data: .byteBuffer(body), endStream: true))), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: request.headers, endStream: true))), promise: headersWritten)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .headers(let frame):
            if status == nil, let code = frame.headers.first(name: ":status").flatMap({ Int($0) }), code >= 200 {
                status = code
                for (name, value, _) in frame.headers where !name.hasPrefix(":") { headers.add(name: name, value: value) }
            }
            if frame.endStream { complete() }
        case .data(let frame):
            if case .byteBuffer(var chunk) = frame.data, (body?.readableBytes ?? 0) < Self.maximumResponseBytes {
                if body == nil {
                    body = chunk
                } else {
                    body!.writeBuffer(&chunk)
                }
            }
            if frame.endStream { complete() }
        case .rstStream(let code):
            if code == .refusedStream { refusedUnprocessed = true }
        default:
            break
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let closed = event as? StreamClosedEvent, closed.reason == .refusedStream { refusedUnprocessed = true }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? NIOHTTP2Errors.StreamClosed, error.errorCode == .refusedStream { refusedUnprocessed = true }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        streamEnded()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        streamEnded()
        streamContext = nil
    }

    private func streamEnded() {
        if !finished {
            if writeFailed || refusedUnprocessed {
                fail(.neverSent, "\(what): the server did not take the request")
            } else {
                fail(.outcomeUnknown, "\(what): the stream closed before the answer")
            }
        }
        releaseStream()
    }

    private func releaseStream() {
        gate?.streamClosed()
        gate = nil
    }

    private func complete() {
        guard !finished else { return }
        guard let status else {
            fail(.outcomeUnknown, "\(what): the stream ended without a status")
            return
        }
        finished = true
        gate?.deadlines.prune()
        promise.succeed(HTTP2Response(status: status, headers: headers, body: body ?? ByteBuffer()))
    }

    /// The request's deadline passed.
    func deadlinePassed() {
        guard !finished else { return }
        if gate == nil {
            fail(.neverSent, "\(what): no stream came free before the deadline")
        } else {
            fail(writeFailed ? .neverSent : .outcomeUnknown, "\(what): no answer before the deadline")
            streamContext?.close(promise: nil)
        }
    }

    private func fail(_ code: PushError.Code, _ message: String) {
        finished = true
        promise.fail(PushError(code, message))
    }
}
