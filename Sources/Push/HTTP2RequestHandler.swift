import NIOCore
import NIOHPACK
import NIOHTTP2

/// Carries one request on its own HTTP/2 stream: writes it when the stream opens, gathers the answer, and tells
/// whether a request that got no answer ever left (the deadline passed while it waited for a stream the server's
/// `MAX_CONCURRENT_STREAMS` let open, or the server refused the stream unprocessed) or may have been carried out.
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
    private var started = false
    private var written = false
    private var finished = false
    private var status: Int?
    private var headers = HPACKHeaders()
    private var body: ByteBuffer?
    private var refusedUnprocessed = false
    private var timer: Scheduled<Void>?

    /// Answers `promise` before `deadline`; `what` names the request in errors (never a token).
    init(request: HTTP2Request, promise: EventLoopPromise<HTTP2Response>, deadline: NIODeadline, what: String) {
        self.request = request
        self.promise = promise
        self.deadline = deadline
        self.what = what
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.timedOut(context: context)
        }
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !started, !finished else { return }
        started = true
        let headersWritten = context.eventLoop.makePromise(of: Void.self)
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        headersWritten.futureResult.whenSuccess { loopBound.value.written = true }
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
            if status == nil, let code = frame.headers.first(name: ":status").flatMap({ Int($0) }) {
                if code >= 200 {
                    status = code
                    for (name, value, _) in frame.headers where !name.hasPrefix(":") { headers.add(name: name, value: value) }
                }
            }
            if frame.endStream { complete(context: context) }
        case .data(let frame):
            if case .byteBuffer(var chunk) = frame.data, (body?.readableBytes ?? 0) < Self.maximumResponseBytes {
                if body == nil {
                    body = chunk
                } else {
                    body!.writeBuffer(&chunk)
                }
            }
            if frame.endStream { complete(context: context) }
        case .rstStream(let code):
            refusedUnprocessed = code == .refusedStream
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
        if !finished {
            if written && !refusedUnprocessed {
                fail(.outcomeUnknown, "\(what): the connection or stream closed before the answer")
            } else {
                fail(.neverSent, "\(what): the stream closed before the request left")
            }
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if !finished { fail(written ? .outcomeUnknown : .neverSent, "\(what): the stream went away") }
    }

    /// Fails the request when its stream could not be opened.
    func streamNotOpened(_ error: any Error) {
        if !finished { fail(.neverSent, "\(what): no stream could be opened: \(error)") }
    }

    private func complete(context: ChannelHandlerContext) {
        guard !finished else { return }
        guard let status else {
            fail(.outcomeUnknown, "\(what): the stream ended without a status")
            return
        }
        finished = true
        timer?.cancel()
        promise.succeed(HTTP2Response(status: status, headers: headers, body: body ?? ByteBuffer()))
    }

    private func timedOut(context: ChannelHandlerContext) {
        guard !finished else { return }
        fail(written ? .outcomeUnknown : .neverSent, "\(what): no answer before the deadline")
        context.close(promise: nil)
    }

    private func fail(_ code: PushError.Code, _ message: String) {
        finished = true
        timer?.cancel()
        promise.fail(PushError(code, message))
    }
}
