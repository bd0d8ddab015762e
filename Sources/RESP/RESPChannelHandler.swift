import NIOCore

/// One command on its way to the handler: the arguments, where the reply goes, and how long it may take.
struct RESPRequest {
    var command: [String]
    var promise: EventLoopPromise<RESPValue>
    var timeout: TimeAmount?
}

/// Asks the handler to close once every command in flight has its reply.
struct RESPGracefulCloseEvent: Sendable {}

/// Adapts the pure ``RESPDecoder`` to NIO's single-step decoding.
struct RESPValueDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = RESPValue
    let decoder: RESPDecoder

    mutating func decode(buffer: inout ByteBuffer) throws -> RESPValue? {
        try decoder.decode(&buffer)
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPValue? {
        try decoder.decode(&buffer)
    }
}

/// The thin channel handler: encodes requests, decodes replies, and does what the state machine says.
final class RESPChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RESPRequest
    typealias OutboundOut = ByteBuffer

    struct Pending {
        var promise: EventLoopPromise<RESPValue>
        var timeoutTask: Scheduled<Void>?
    }

    private var stateMachine = RESPConnectionStateMachine<Pending>()
    private var processor: NIOSingleStepByteToMessageProcessor<RESPValueDecoder>
    private let onPush: @Sendable (RESPValue) -> Void
    private var closePromises: [EventLoopPromise<Void>] = []

    init(limits: RESPDecoder.Limits = RESPDecoder.Limits(), onPush: @escaping @Sendable (RESPValue) -> Void = { _ in }) {
        self.processor = NIOSingleStepByteToMessageProcessor(RESPValueDecoder(decoder: RESPDecoder(limits: limits)))
        self.onPush = onPush
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        var pending = Pending(promise: request.promise, timeoutTask: nil)
        if let timeout = request.timeout {
            let id = stateMachine.nextCommandID
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            pending.timeoutTask = context.eventLoop.scheduleTask(in: timeout) { handler.value.timedOut(id: id) }
        }
        switch stateMachine.send(pending) {
        case .write:
            var buffer = context.channel.allocator.buffer(capacity: 64)
            RESPCommandEncoder.encode(request.command, into: &buffer)
            context.write(wrapOutboundOut(buffer), promise: promise)
        case .fail(let pending, let error):
            pending.timeoutTask?.cancel()
            pending.promise.fail(error)
            promise?.fail(error)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        do {
            try processor.process(buffer: buffer) { value in handle(value, context: context) }
        } catch {
            let respError = error as? RESPError ?? RESPError.protocolError("\(error)")
            fail(stateMachine.closed(error: respError), with: respError)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(stateMachine.closed(), with: RESPError(code: .connectionLost, message: "the connection was lost"))
        let promises = closePromises
        closePromises = []
        for promise in promises { promise.succeed() }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let respError = RESPError(code: .connectionLost, message: "\(error)")
        fail(stateMachine.closed(error: respError), with: respError)
        context.close(promise: nil)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is RESPGracefulCloseEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch stateMachine.close() {
        case .closeNow(let failing, let error):
            fail(failing, with: error)
            context.close(promise: promise)
        case .waitForReplies:
            if let promise { closePromises.append(promise) }
        case .none:
            if context.channel.isActive, let promise { closePromises.append(promise) } else { promise?.succeed() }
        }
    }

    private func handle(_ value: RESPValue, context: ChannelHandlerContext) {
        switch stateMachine.receive(value) {
        case .deliver(let pending, let result, let close):
            pending.timeoutTask?.cancel()
            pending.promise.completeWith(result.mapError { $0 as any Error })
            if close { context.close(promise: nil) }
        case .discard(let close):
            if close { context.close(promise: nil) }
        case .push(let value):
            onPush(value)
        case .closeConnection(let error, let failing):
            fail(failing, with: error)
            context.close(promise: nil)
        }
    }

    private func timedOut(id: UInt64) {
        guard let pending = stateMachine.timedOut(id: id) else { return }
        pending.promise.fail(RESPError(code: .timeout, message: "no reply within the command timeout"))
    }

    private func fail(_ pending: [Pending], with error: RESPError) {
        for item in pending {
            item.timeoutTask?.cancel()
            item.promise.fail(error)
        }
    }
}
