import Contracts
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers request headers over the decoder's limits with `431 Request Header Fields Too Large` as problem+json.
///
/// NIO's HTTP/1 decoder stops with `HTTPParserError.headerOverflow` once a header field or all of them pass the
/// limits of `HTTP1Channel.Configuration.httpDecoder` (80 KiB by default). Left alone, Hummingbird answers any
/// parser error with an empty 400 and closes at once; with the client still sending, the close resets the
/// connection and the client often never reads even that. This handler, installed through
/// `HTTP1Channel.Configuration.additionalChannelHandlers`, instead writes the 431 once every earlier response on
/// the connection is complete, closes the output side, and reads and discards what the client still sends —
/// up to ``drainLimit`` bytes or ``lingerTime`` — before closing, so that the client receives the answer.
public final class HeaderOverflowHandler: ChannelDuplexHandler, RemovableChannelHandler {
    /// Parts from the decoder.
    public typealias InboundIn = HTTPRequestPart
    /// Parts passed on to Hummingbird.
    public typealias InboundOut = HTTPRequestPart
    /// Responses from Hummingbird.
    public typealias OutboundIn = HTTPResponsePart
    /// Responses to the encoder.
    public typealias OutboundOut = HTTPResponsePart

    enum State {
        case normal
        /// Overflow seen while an earlier response is still being written.
        case waitingForResponses(discarded: Int)
        /// 431 written; reading and discarding until the client stops or a limit is reached.
        case draining(discarded: Int)
        case closed
    }

    /// Most bytes read and discarded after the 431 before closing.
    public let drainLimit: Int
    /// Longest time spent draining after the 431 before closing.
    public let lingerTime: TimeAmount

    private var state = State.normal
    private var requestsReceived = 0
    private var responsesCompleted = 0
    private var lingerTimer: Scheduled<Void>?

    /// Creates the handler; one per connection.
    public init(drainLimit: Int = 16 * 1024 * 1024, lingerTime: TimeAmount = .seconds(5)) {
        self.drainLimit = drainLimit
        self.lingerTime = lingerTime
    }

    /// Counts request heads and passes parts on, unless the connection is being drained.
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .normal = state else { return }
        if case .head = unwrapInboundIn(data) { requestsReceived += 1 }
        context.fireChannelRead(data)
    }

    /// Counts finished responses; sends a deferred 431 once they are all out.
    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { responsesCompleted += 1 }
        context.write(data, promise: promise)
        if case .waitingForResponses = state, responsesCompleted >= requestsReceived {
            context.flush()
            sendHeadersTooLarge(context: context)
        }
    }

    /// Catches the header overflow; while draining, swallows what the decoder reports about discarded data.
    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .normal:
            guard let parserError = error as? HTTPParserError, parserError == .headerOverflow else {
                context.fireErrorCaught(error)
                return
            }
            if responsesCompleted >= requestsReceived {
                sendHeadersTooLarge(context: context)
            } else {
                state = .waitingForResponses(discarded: 0)
            }
        case .waitingForResponses(let discarded):
            let total = discarded + Self.discardedBytes(error)
            state = .waitingForResponses(discarded: total)
            if total > drainLimit { closeNow(context: context) }
        case .draining(let discarded):
            let total = discarded + Self.discardedBytes(error)
            state = .draining(discarded: total)
            if total > drainLimit { closeNow(context: context) }
        case .closed:
            return
        }
    }

    /// Closes once the client has finished sending.
    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .draining = state, let event = event as? ChannelEvent, event == .inputClosed {
            closeNow(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Cancels the linger timer.
    public func channelInactive(context: ChannelHandlerContext) {
        lingerTimer?.cancel()
        lingerTimer = nil
        state = .closed
        context.fireChannelInactive()
    }

    private func sendHeadersTooLarge(context: ChannelHandlerContext) {
        state = .draining(discarded: 0)
        let body = Problem.headersTooLarge.body(instance: nil, requestID: nil)
        var head = HTTPResponse(status: .requestHeaderFieldsTooLarge)
        head.headerFields[.contentType] = "application/problem+json"
        head.headerFields[.contentLength] = String(body.readableBytes)
        head.headerFields[.connection] = "close"
        head.headerFields[.cacheControl] = "no-store"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        written.futureResult.whenComplete { _ in
            // FIN after the answer; keep reading so the client's unsent bytes do not turn the close into a reset.
            loopBound.value.close(mode: .output, promise: nil)
        }
        lingerTimer = context.eventLoop.scheduleTask(in: lingerTime) {
            loopBound.value.close(promise: nil)
        }
        // The decoder stopped delivering data; ask for more so the draining continues.
        context.read()
    }

    /// The size of the data the decoder dropped, as it reports it after its error.
    static func discardedBytes(_ error: any Error) -> Int {
        if case .dataReceivedInErrorState(_, let buffer) = error as? ByteToMessageDecoderError {
            return buffer.readableBytes
        }
        return 0
    }

    private func closeNow(context: ChannelHandlerContext) {
        guard !isClosed else { return }
        state = .closed
        lingerTimer?.cancel()
        lingerTimer = nil
        context.close(promise: nil)
    }

    private var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }
}

extension HTTPServerBuilder {
    /// An HTTP/1 server whose header-size overflows are answered 431 (see ``HeaderOverflowHandler``).
    public static func http1WithHeaderLimits(
        idleTimeout: TimeAmount? = nil, decoder: HTTP1Channel.Configuration.DecoderConfiguration = .init()
    ) -> HTTPServerBuilder {
        .http1(
            configuration: .init(
                additionalChannelHandlers: [HeaderOverflowHandler()], idleTimeout: idleTimeout, httpDecoderConfiguration: decoder))
    }
}
