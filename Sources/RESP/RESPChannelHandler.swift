import ClientTLS
import NIOCore

/// One command on its way to the handler: the arguments, where the reply goes, and how long it may take.
struct RESPRequest {
    /// One command and its promise, or a pipelined batch and the collector of its replies.
    enum Commands {
        case one(RESPCommand, EventLoopPromise<RESPValue>)
        case batch([[String]], RESPBatchReplies)
        case typedBatch([RESPCommand], RESPBatchReplies)
    }

    var commands: Commands
    var timeout: TimeAmount?

    /// A pipelined batch: encoded into one buffer and written at once.
    init(batch commands: [[String]], replies: RESPBatchReplies, timeout: TimeAmount?) {
        self.commands = .batch(commands, replies)
        self.timeout = timeout
    }

    /// A pipelined batch of typed commands: encoded into one buffer and written at once.
    init(batch commands: [RESPCommand], replies: RESPBatchReplies, timeout: TimeAmount?) {
        self.commands = .typedBatch(commands, replies)
        self.timeout = timeout
    }

    /// One command answered through its own promise.
    init(command: [String], promise: EventLoopPromise<RESPValue>, timeout: TimeAmount?) {
        self.init(command: RESPCommand(command), promise: promise, timeout: timeout)
    }

    /// One typed command answered through its own promise.
    init(command: RESPCommand, promise: EventLoopPromise<RESPValue>, timeout: TimeAmount?) {
        self.commands = .one(command, promise)
        self.timeout = timeout
    }
}

/// Asks the handler to close once every command in flight has its reply.
struct RESPGracefulCloseEvent: Sendable {}

/// The thin channel handler: encodes requests, decodes replies, and does what the state machine says.
final class RESPChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RESPRequest
    typealias OutboundOut = ByteBuffer

    typealias Pending = RESPReplySink

    private var stateMachine = RESPConnectionStateMachine<Pending>()
    private let decoder: RESPDecoder
    /// The start of a reply whose rest has not arrived yet, copied out of the read buffer; empty most of the time.
    private var partial = ByteBuffer()
    private let onPush: @Sendable (RESPValue) -> Void
    private let onFailure: @Sendable (RESPError) -> Void
    private var closePromises: [EventLoopPromise<Void>] = []
    // One timer per connection, set for the earliest deadline in flight: scheduling a task per command
    // cost more than the command itself under pipelining.
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    /// `onFailure` hears the error that breaks the connection (a TLS alert, a read error) before the channel closes.
    init(
        limits: RESPDecoder.Limits = RESPDecoder.Limits(), onPush: @escaping @Sendable (RESPValue) -> Void = { _ in },
        onFailure: @escaping @Sendable (RESPError) -> Void = { _ in }
    ) {
        self.decoder = RESPDecoder(limits: limits)
        self.onPush = onPush
        self.onFailure = onFailure
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        let deadline = request.timeout.map { context.eventLoop.now + $0 }
        // A batch is one entry in the state machine, answered reply by reply through its collector.
        let sink: RESPReplySink
        let count: Int
        switch request.commands {
        case .one(_, let single): (sink, count) = (.single(single), 1)
        case .batch(let commands, let replies): (sink, count) = (.batch(replies), commands.count)
        case .typedBatch(let commands, let replies): (sink, count) = (.batch(replies), commands.count)
        }
        if case .fail(let pending, let error) = stateMachine.send(sink, replies: count, deadline: deadline) {
            pending.fail(error)
            promise?.fail(error)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: 64 * count)
        switch request.commands {
        case .one(let command, _): command.encode(into: &buffer)
        case .batch(let commands, _): for command in commands { RESPCommandEncoder.encode(command, into: &buffer) }
        case .typedBatch(let commands, _): for command in commands { command.encode(into: &buffer) }
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
        var incoming = unwrapInboundIn(data)
        do {
            // Replies are decoded straight from the read buffer; only a reply cut at the end of a read is copied,
            // and completed by the next read.
            if partial.readableBytes == 0 {
                while let value = try decoder.decode(&incoming) { handle(value, context: context) }
                if incoming.readableBytes > 0 {
                    partial.clear()
                    partial.writeBuffer(&incoming)
                }
            } else {
                partial.writeBuffer(&incoming)
                var buffer = partial
                while let value = try decoder.decode(&buffer) { handle(value, context: context) }
                partial = buffer
                if partial.readableBytes == 0 {
                    partial.clear()
                } else if partial.readerIndex > 16 * 1024 {
                    partial.discardReadBytes()
                }
            }
        } catch {
            partial.clear()
            fail(stateMachine.closed(error: error), with: error)
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
        let respError = RESPError(code: .connectionLost, message: TLSFailure.connectionFailure(error))
        onFailure(respError)
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
        case .deliver(let pending, let index, let result, let close):
            pending.complete(index, result)
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
