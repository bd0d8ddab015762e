import NIOCore

/// One command on its way to the handler: the arguments, where the reply goes, and how long it may take.
struct RESPRequest {
    /// One command and where its reply goes, or a pipelined batch and the collector of its replies.
    enum Commands {
        case one([String], RESPReplySink)
        case batch([[String]], RESPBatchReplies)
    }

    var commands: Commands
    var timeout: TimeAmount?

    /// A pipelined batch: encoded into one buffer and written at once.
    init(batch commands: [[String]], replies: RESPBatchReplies, timeout: TimeAmount?) {
        self.commands = .batch(commands, replies)
        self.timeout = timeout
    }

    /// One command answered through its own promise.
    init(command: [String], promise: EventLoopPromise<RESPValue>, timeout: TimeAmount?) {
        self.commands = .one(command, .single(promise))
        self.timeout = timeout
    }
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

    typealias Pending = RESPReplySink

    private var stateMachine = RESPConnectionStateMachine<Pending>()
    private var processor: NIOSingleStepByteToMessageProcessor<RESPValueDecoder>
    private let onPush: @Sendable (RESPValue) -> Void
    private var closePromises: [EventLoopPromise<Void>] = []
    // One timer per connection, set for the earliest deadline in flight: scheduling a task per command
    // cost more than the command itself under pipelining.
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    init(limits: RESPDecoder.Limits = RESPDecoder.Limits(), onPush: @escaping @Sendable (RESPValue) -> Void = { _ in }) {
        self.processor = NIOSingleStepByteToMessageProcessor(RESPValueDecoder(decoder: RESPDecoder(limits: limits)))
        self.onPush = onPush
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        let deadline = request.timeout.map { context.eventLoop.now + $0 }
        var buffer: ByteBuffer
        var failure: RESPError?
        func add(_ command: [String], _ pending: RESPReplySink) {
            switch stateMachine.send(pending, deadline: deadline) {
            case .write: RESPCommandEncoder.encode(command, into: &buffer)
            case .fail(let pending, let error):
                pending.fail(error)
                failure = error
            }
        }
        switch request.commands {
        case .one(let command, let sink):
            buffer = context.channel.allocator.buffer(capacity: 64)
            add(command, sink)
        case .batch(let commands, let replies):
            buffer = context.channel.allocator.buffer(capacity: 64 * commands.count)
            for index in commands.indices { add(commands[index], .batch(replies, index: index)) }
        }
        guard buffer.readableBytes > 0 else {
            promise?.fail(failure ?? RESPError(code: .connectionClosed, message: "the connection is closing"))
            return
        }
        if let deadline { armTimer(for: deadline, context: context) }
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    private func armTimer(for deadline: NIODeadline, context: ChannelHandlerContext) {
        if let current = timerDeadline, current <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) { handler.value.timerFired(context: boundContext) }
    }

    private func timerFired(context: NIOLoopBound<ChannelHandlerContext>) {
        timer = nil
        timerDeadline = nil
        let (expired, next) = stateMachine.expire(now: context.value.eventLoop.now)
        for pending in expired { pending.fail(RESPError(code: .timeout, message: "no reply within the command timeout")) }
        if let next { armTimer(for: next, context: context.value) }
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
        timer?.cancel()
        timer = nil
        timerDeadline = nil
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
            pending.complete(result)
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

    private func fail(_ pending: [Pending], with error: RESPError) {
        for item in pending { item.fail(error) }
    }
}
