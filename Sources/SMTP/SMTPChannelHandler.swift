import ClientTLS
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// One message on its way to the handler, and where its report goes.
struct SMTPRequest {
    var envelope: SMTPEnvelope
    var message: SMTPMessageData
    var promise: EventLoopPromise<SMTPDeliveryReport>
}

/// Asks the handler to end the session with `QUIT` once the messages already given are done.
struct SMTPQuitEvent: Sendable {}

/// The thin channel handler: decodes replies, writes commands and messages, puts TLS under itself after `STARTTLS`,
/// keeps one deadline for the step in progress, and otherwise does what the state machine says.
final class SMTPChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    private var stateMachine: SMTPSessionStateMachine<EventLoopPromise<SMTPDeliveryReport>>
    private var decoder = SMTPReplyDecoder()
    private var received = ByteBuffer()
    private let ready: EventLoopPromise<SMTPCapabilities>
    private var readySettled = false
    private let host: String
    private let tls: ClientTLSConfiguration
    private let commandTimeout: TimeAmount
    private let messageTimeout: TimeAmount
    private let logger: Logger
    private var timer: Scheduled<Void>?
    /// When the step in progress times out; the timer, once scheduled, is moved on only when it fires early.
    private var deadline: NIODeadline?
    /// Which step the deadline is for (its timeout's wording).
    private var deadlineTimeout: TimeAmount = .seconds(0)
    private var closePromises: [EventLoopPromise<Void>] = []

    /// `ready` gets the server's capabilities once the session can take mail, or the error that ended it first.
    init(configuration: SMTPConfiguration, ready: EventLoopPromise<SMTPCapabilities>, logger: Logger) {
        self.stateMachine = SMTPSessionStateMachine(
            settings: .init(clientName: configuration.clientName, tlsMode: configuration.tlsMode, credentials: configuration.credentials))
        self.ready = ready
        self.host = configuration.host
        self.tls = configuration.tls
        self.commandTimeout = TimeAmount(configuration.commandTimeout)
        self.messageTimeout = TimeAmount(configuration.messageTimeout)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armTimer(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armTimer(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        received.writeBuffer(&incoming)
        do {
            while let reply = try decoder.decode(&received) {
                logger.trace("reply", metadata: ["reply": "\(reply)"])
                let actions = stateMachine.receive(reply)
                perform(actions, context: context)
                if actions.contains(where: { if case .startTLS = $0 { true } else { false } }), received.readableBytes > 0 {
                    // Bytes after the 220 to STARTTLS came in clear and must not be read as if they came over TLS
                    // (the STARTTLS command injection of CVE-2011-0411).
                    throw SMTPError.protocolError("the server sent data after its reply to STARTTLS")
                }
            }
            received.discardReadBytes()
        } catch {
            received.clear()
            fail(error, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { perform(stateMachine.tlsEstablished(), context: context) }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        perform(stateMachine.send(request.promise, envelope: request.envelope, message: request.message), context: context)
        promise?.succeed()
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is SMTPQuitEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        if context.channel.isActive {
            if let promise { closePromises.append(promise) }
            perform(stateMachine.quit(), context: context)
        } else {
            promise?.succeed()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reason: String
        switch error {
        case is NIOSSLError, is NIOSSLExtraError:
            reason = "TLS handshake with \(host) failed: " + TLSFailure.reason(error, expectedName: tls.serverName ?? host)
        default: reason = TLSFailure.connectionFailure(error)
        }
        fail(SMTPError(code: .connectionLost, message: reason), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        let error = SMTPError(code: .connectionLost, message: "the connection to \(host) closed")
        perform(stateMachine.closed(error: error), context: context)
        settleReady(.failure(error))
        let promises = closePromises
        closePromises = []
        for promise in promises { promise.succeed() }
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        let smtpError = error as? SMTPError ?? SMTPError(code: .connectionLost, message: "\(error)")
        perform(stateMachine.closed(error: smtpError), context: context)
        settleReady(.failure(smtpError))
        context.close(promise: nil)
    }

    private func perform(_ actions: [SMTPSessionStateMachine<EventLoopPromise<SMTPDeliveryReport>>.Action], context: ChannelHandlerContext) {
        // One flush for everything the actions write (a transaction's commands, then the next one's).
        var wrote = false
        defer { if wrote { context.flush() } }
        for action in actions {
            switch action {
            case .send(let commands):
                var buffer = context.channel.allocator.buffer(capacity: 64 * commands.count)
                for command in commands { command.encode(into: &buffer) }
                logger.trace("send", metadata: ["commands": "\(commands.map(\.description))"])
                context.write(wrapOutboundOut(buffer), promise: nil)
                wrote = true
            case .sendMessage(let bytes):
                context.write(wrapOutboundOut(bytes), promise: nil)
                wrote = true
            case .startTLS:
                if wrote {
                    context.flush()
                    wrote = false
                }
                do {
                    let handler = try tls.makeHandler(connectingTo: host)
                    try context.pipeline.syncOperations.addHandler(handler, position: .before(self))
                } catch {
                    fail(SMTPError(code: .invalidConfiguration, message: "cannot start TLS: \(error)"), context: context)
                    return
                }
            case .ready(let capabilities):
                settleReady(.success(capabilities))
            case .complete(let promise, let result):
                promise.completeWith(result.mapError { $0 as any Error })
            case .close(let error):
                if wrote {
                    context.flush()
                    wrote = false
                }
                if let error { settleReady(.failure(error)) }
                context.close(promise: nil)
            }
        }
        armTimer(context: context)
    }

    private func settleReady(_ result: Result<SMTPCapabilities, SMTPError>) {
        guard !readySettled else { return }
        readySettled = true
        ready.completeWith(result.mapError { $0 })
    }

    /// One deadline for the step in progress, moved on at every event.
    ///
    /// Steps follow each other by the thousand a second: rather than a timer each, one timer runs, and when it fires
    /// before the current deadline (which moved on meanwhile) it is set again for the rest.
    private func armTimer(context: ChannelHandlerContext) {
        guard context.channel.isActive, let wait = stateMachine.waitingFor else {
            deadline = nil
            return
        }
        let timeout = wait == .messageReply ? messageTimeout : commandTimeout
        deadline = context.eventLoop.now + timeout
        deadlineTimeout = timeout
        if timer == nil { schedule(at: deadline!, context: context) }
    }

    private func schedule(at instant: NIODeadline, context: ChannelHandlerContext) {
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: instant) {
            handler.value.timerFired(context: boundContext.value)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        timer = nil
        guard let deadline else { return }
        if deadline > context.eventLoop.now {
            schedule(at: deadline, context: context)
            return
        }
        let error = SMTPError(code: .timeout, message: "no reply from \(host) within \(Duration(deadlineTimeout))")
        fail(error, context: context)
    }
}

extension Duration {
    fileprivate init(_ amount: TimeAmount) { self = .nanoseconds(amount.nanoseconds) }
}
