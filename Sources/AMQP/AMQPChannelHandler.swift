import ClientTLS
import NIOCore

/// What the handler tells its connection about, besides answering requests.
struct AMQPConnectionCallbacks: Sendable {
    /// The handshake finished, or failed with this error.
    var connected: @Sendable (Result<(AMQPTuning, AMQPFieldTable), AMQPError>) -> Void
    /// The broker blocked publishing with a reason, or unblocked it (nil).
    var blocked: @Sendable (String?) -> Void = { _ in }
    /// A `mandatory` message came back unroutable.
    var returned: @Sendable (UInt16, AMQPReturnedMessage) -> Void = { _, _ in }
    /// The connection closed: nil after a graceful close the client asked for, else why.
    var closed: @Sendable (AMQPError?) -> Void = { _ in }
}

/// The thin channel handler: decodes frames, encodes requests, and does what ``AMQPConnectionStateMachine`` says.
final class AMQPChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = AMQPRequest
    typealias OutboundOut = ByteBuffer

    struct Pending {
        var promise: EventLoopPromise<AMQPResponse>
        var channel: UInt16 = 0
        var onClose: (@Sendable (AMQPError?) -> Void)?
        var consumer: AMQPConsumerSink?
    }

    private struct ConsumerKey: Hashable {
        var channel: UInt16
        var tag: String
    }

    private var stateMachine: AMQPConnectionStateMachine<Pending>
    private var decoder = AMQPFrameDecoder()
    private var inbound: ByteBuffer?
    private var scratch = ByteBuffer()
    private let callbacks: AMQPConnectionCallbacks
    private let handshakeTimeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var isConnected = false
    private var closeReason: AMQPError?
    private var isClosingSocket = false
    private var closePromises: [EventLoopPromise<Void>] = []
    private var channelObservers: [UInt16: @Sendable (AMQPError?) -> Void] = [:]
    private var consumers: [ConsumerKey: AMQPConsumerSink] = [:]
    private var heartbeatTask: RepeatedTask?
    private var handshakeTimer: Scheduled<Void>?
    /// Closes the socket if the broker never answers our connection.close with close-ok.
    private var closeTimer: Scheduled<Void>?
    private var needsFlush = false

    init(settings: AMQPConnectionStateMachine<Pending>.Settings, handshakeTimeout: TimeAmount, callbacks: AMQPConnectionCallbacks) {
        self.stateMachine = AMQPConnectionStateMachine(settings: settings)
        self.handshakeTimeout = handshakeTimeout
        self.callbacks = callbacks
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        let actions = stateMachine.start()
        guard !actions.isEmpty else { return }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        handshakeTimer = context.eventLoop.scheduleTask(in: handshakeTimeout) {
            handler.value.fail(with: AMQPError(code: .timeout, message: "the broker did not finish the handshake in time"))
        }
        run(actions, context: context)
        flushIfNeeded(context: context)
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if inbound == nil {
            inbound = buffer
        } else {
            inbound!.writeBuffer(&buffer)
        }
        do {
            while inbound != nil, let frame = try decoder.decode(buffer: &inbound!) {
                run(stateMachine.receive(frame), context: context)
            }
        } catch {
            fail(with: AMQPError.protocolError("undecodable bytes from the broker: \(error)"))
            return
        }
        if let buffer = inbound {
            if buffer.readableBytes == 0 {
                inbound = nil
            } else if buffer.readerIndex > 65_536 {
                inbound!.discardReadBytes()
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context: context)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        heartbeatTask?.cancel()
        handshakeTimer?.cancel()
        closeTimer?.cancel()
        let reason = closeReason ?? .lost
        run(stateMachine.closed(error: reason), context: context)
        for (_, sink) in consumers { sink.finish(reason) }
        consumers.removeAll()
        for (_, observer) in channelObservers { observer(reason) }
        channelObservers.removeAll()
        if !isConnected {
            isConnected = true  // report once
            callbacks.connected(.failure(reason))
        }
        callbacks.closed(closeReason)
        let promises = closePromises
        closePromises = []
        for promise in promises { promise.succeed() }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Once the socket is closing on purpose, errors it raises (a TLS peer that hangs up without close_notify) do
        // not change why it closed.
        guard !isClosingSocket else { return }
        fail(with: AMQPError(code: .connectionLost, message: TLSFailure.connectionFailure(error)))
    }

    // MARK: outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        promise?.succeed()
        switch request.operation {
        case .openChannel(let onClose):
            run(stateMachine.openChannel(context: Pending(promise: request.promise, onClose: onClose)), context: context)
        case .closeChannel(let reference):
            run(stateMachine.closeChannel(reference, context: Pending(promise: request.promise, channel: reference.number)), context: context)
        case .method(let method, let reference):
            guard validate(method, promise: request.promise) else { return }
            run(stateMachine.request(method, on: reference, context: Pending(promise: request.promise, channel: reference.number)), context: context)
        case .consume(let method, let reference, let sink):
            guard validate(method, promise: request.promise) else { return }
            let pending = Pending(promise: request.promise, channel: reference.number, consumer: sink)
            run(stateMachine.request(method, on: reference, context: pending), context: context)
        case .publish(let message, let reference):
            let method = AMQPMethod.basic(.publish(exchange: message.exchange, routingKey: message.routingKey, mandatory: message.mandatory))
            guard validate(method, promise: request.promise),
                validate(AMQPContentHeader(bodySize: 0, properties: message.message.properties), promise: request.promise)
            else { return }
            run(stateMachine.publish(message, on: reference, context: Pending(promise: request.promise, channel: reference.number)), context: context)
        }
    }

    func flush(context: ChannelHandlerContext) {
        flushIfNeeded(context: context)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is AMQPGracefulCloseEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        if context.channel.isActive {
            if let promise { closePromises.append(promise) }
            run(stateMachine.close(), context: context)
            flushIfNeeded(context: context)
        } else {
            promise?.succeed()
        }
    }

    // MARK: actions

    private func run(_ actions: [AMQPAction<Pending>], context: ChannelHandlerContext) {
        defer { armCloseTimerIfClosing(context: context) }
        for action in actions {
            switch action {
            case .sendProtocolHeader:
                var buffer = context.channel.allocator.buffer(capacity: 8)
                AMQPProtocolHeader.encode(into: &buffer)
                context.write(wrapOutboundOut(buffer), promise: nil)
                needsFlush = true
            case .send(let frames, let completing):
                send(frames, completing: completing, context: context)
            case .succeed(let pending, let response):
                succeed(pending, response)
            case .fail(let pending, let error):
                pending.promise.fail(error)
            case .tuned(let tuning):
                decoder.frameMax = tuning.frameMax
                startHeartbeat(tuning.heartbeat, context: context)
            case .connected(let tuning, let serverProperties):
                handshakeTimer?.cancel()
                isConnected = true
                callbacks.connected(.success((tuning, serverProperties)))
            case .deliver(let channel, let consumerTag, let envelope, let message):
                consumers[ConsumerKey(channel: channel, tag: consumerTag)]?.deliver(envelope, message)
            case .returned(let channel, let returned):
                callbacks.returned(channel, returned)
            case .consumerEnded(let channel, let consumerTag, let error):
                consumers.removeValue(forKey: ConsumerKey(channel: channel, tag: consumerTag))?.finish(error)
            case .channelClosed(let channel, let error):
                channelObservers.removeValue(forKey: channel)?(error)
            case .blocked(let reason):
                callbacks.blocked(reason)
            case .unblocked:
                callbacks.blocked(nil)
            case .closeSocket(let error):
                closeReason = error
                isClosingSocket = true
                flushIfNeeded(context: context)
                context.close(promise: nil)
            }
        }
    }

    private func succeed(_ pending: Pending, _ response: AMQPResponse) {
        switch response {
        case .channelOpened(let reference):
            if let onClose = pending.onClose { channelObservers[reference.number] = onClose }
        case .method(.basic(.consumeOK(let tag))):
            if let sink = pending.consumer { consumers[ConsumerKey(channel: pending.channel, tag: tag)] = sink }
        default:
            break
        }
        pending.promise.succeed(response)
    }

    private func send(_ frames: [AMQPFrame], completing: Pending?, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 256)
        do {
            for frame in frames { try frame.encode(into: &buffer) }
        } catch {
            // Requests are validated before they reach the state machine, so this is a bug, not bad input.
            completing?.promise.fail(AMQPError.protocolError("cannot encode a frame: \(error)"))
            fail(with: AMQPError.protocolError("cannot encode a frame: \(error)"))
            return
        }
        if let completing {
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenComplete { result in
                switch result {
                case .success: completing.promise.succeed(.done)
                case .failure(let error): completing.promise.fail(error as? AMQPError ?? AMQPError(code: .connectionLost, message: "\(error)"))
                }
            }
            context.write(wrapOutboundOut(buffer), promise: written)
        } else {
            context.write(wrapOutboundOut(buffer), promise: nil)
        }
        needsFlush = true
    }

    private func flushIfNeeded(context: ChannelHandlerContext) {
        guard needsFlush else { return }
        needsFlush = false
        context.flush()
    }

    private func startHeartbeat(_ seconds: UInt16, context: ChannelHandlerContext) {
        heartbeatTask?.cancel()
        guard seconds > 0 else { return }
        let half = TimeAmount.milliseconds(Int64(seconds) * 500)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        heartbeatTask = context.eventLoop.scheduleRepeatedTask(initialDelay: half, delay: half) { _ in
            handler.value.heartbeatTick()
        }
    }

    private func armCloseTimerIfClosing(context: ChannelHandlerContext) {
        guard closeTimer == nil, case .closing = stateMachine.state else { return }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        closeTimer = context.eventLoop.scheduleTask(in: handshakeTimeout) {
            handler.value.fail(with: AMQPError(code: .timeout, message: "the broker did not answer connection.close"))
        }
    }

    private func heartbeatTick() {
        guard let context else { return }
        run(stateMachine.heartbeatTick(), context: context)
        flushIfNeeded(context: context)
    }

    /// Closes the socket because of `error`; everything waiting fails with it once the channel is inactive.
    private func fail(with error: AMQPError) {
        guard let context else { return }
        if closeReason == nil { closeReason = error }
        context.close(promise: nil)
    }

    /// Encodes `method` into scratch space first, so that a bad argument (a name over 255 bytes) fails only its
    /// request and never reaches the state machine.
    private func validate(_ method: AMQPMethod, promise: EventLoopPromise<AMQPResponse>) -> Bool {
        scratch.clear()
        do {
            try method.encode(into: &scratch)
            return true
        } catch {
            promise.fail(AMQPError(code: .invalidArgument, message: "invalid arguments for \(method): \(error)"))
            return false
        }
    }

    private func validate(_ header: AMQPContentHeader, promise: EventLoopPromise<AMQPResponse>) -> Bool {
        scratch.clear()
        do {
            try header.encode(into: &scratch)
            return true
        } catch {
            promise.fail(AMQPError(code: .invalidArgument, message: "invalid message properties: \(error)"))
            return false
        }
    }
}
