import NIOCore

/// The state of one AMQP 0-9-1 connection, as a value: the handshake, tuning, heartbeats, flow control by the broker,
/// closing from either side, and the channels, whose frames it routes to their ``AMQPChannelStateMachine``.
///
/// It performs no I/O; every event returns the actions the channel handler must carry out, in order. `Context` is
/// whatever the handler needs to answer a request (a promise in production, a plain value in tests).
struct AMQPConnectionStateMachine<Context> {
    typealias Action = AMQPAction<Context>

    /// What the client asks for in the handshake.
    struct Settings {
        var username: String
        var password: String
        var virtualHost: String
        var tuning: AMQPTuning
        var clientProperties: AMQPFieldTable
    }

    enum State {
        case initial
        case awaitingStart
        case awaitingTune
        case awaitingOpenOK
        case open
        /// The client sent connection.close (because it was asked to, or with this error) and waits for close-ok.
        case closing(AMQPError?)
        case closed(AMQPError?)
    }

    private struct Held {
        var channel: AMQPChannelReference
        var message: AMQPOutboundMessage
        var context: Context
    }

    /// Traffic seen between heartbeat ticks.
    private struct Heartbeat {
        var sentSinceTick = false
        var receivedSinceTick = false
        var idleSendTicks = 0
        var silentTicks = 0
    }

    let settings: Settings
    private(set) var state: State = .initial
    /// The settled limits (the client's wishes until connection.tune).
    private(set) var tuning: AMQPTuning
    private(set) var serverProperties: AMQPFieldTable = [:]
    private var channels: [UInt16: AMQPChannelStateMachine<Context>] = [:]
    private var nextSerial: UInt64 = 1
    private var lastChannelNumber: UInt16 = 0
    /// Why the broker blocked publishing, while it does.
    private(set) var blockedReason: String?
    private var held = CircularBuffer<Held>()
    private var heartbeat = Heartbeat()

    init(settings: Settings) {
        self.settings = settings
        self.tuning = settings.tuning
    }

    /// Channels open or opening or closing.
    var channelCount: Int { channels.count }

    /// The state of channel `number`, if it exists.
    func channelState(_ number: UInt16) -> AMQPChannelStateMachine<Context>.State? { channels[number]?.state }

    /// The socket is connected: send the protocol header.
    mutating func start() -> [Action] {
        guard case .initial = state else { return [] }
        state = .awaitingStart
        return [.sendProtocolHeader]
    }

    // MARK: requests from the client

    /// Opens a channel on the next free number; the context is answered with ``AMQPResponse/channelOpened(_:)``.
    mutating func openChannel(context: Context) -> [Action] {
        guard case .open = state else { return [.fail(context, notOpenError)] }
        let limit = tuning.usableChannelMax
        guard channels.count < Int(limit) else {
            return [.fail(context, AMQPError(code: .channelLimitReached, message: "all \(limit) channels are in use"))]
        }
        var number = lastChannelNumber
        repeat { number = number >= limit ? 1 : number + 1 } while channels[number] != nil
        lastChannelNumber = number
        let reference = AMQPChannelReference(number: number, serial: nextSerial)
        nextSerial += 1
        let channel = AMQPChannelStateMachine(reference: reference, openContext: context)
        channels[number] = channel
        return sent([.send(channel.openFrames, completing: nil)])
    }

    /// Closes a channel from the client side.
    mutating func closeChannel(_ reference: AMQPChannelReference, context: Context) -> [Action] {
        guard case .open = state, channels[reference.number]?.reference == reference else { return [.succeed(context, .done)] }
        var actions: [Action] = []
        var kept = CircularBuffer<Held>()
        for publish in held {
            if publish.channel == reference { actions.append(.fail(publish.context, .clientClosedChannel)) } else { kept.append(publish) }
        }
        held = kept
        return actions + sent(channels[reference.number]!.close(context: context))
    }

    /// Sends a method on a channel: a synchronous request waits for its reply, anything else is answered once written.
    mutating func request(_ method: AMQPMethod, on reference: AMQPChannelReference, context: Context) -> [Action] {
        guard case .open = state else { return [.fail(context, notOpenError)] }
        guard channels[reference.number]?.reference == reference else { return [.fail(context, channelGoneError(reference))] }
        return sent(channels[reference.number]!.request(method, context: context))
    }

    /// Publishes a message on a channel; while the broker blocks publishing it waits here.
    mutating func publish(_ message: AMQPOutboundMessage, on reference: AMQPChannelReference, context: Context) -> [Action] {
        guard case .open = state else { return [.fail(context, notOpenError)] }
        guard channels[reference.number]?.reference == reference else { return [.fail(context, channelGoneError(reference))] }
        if blockedReason != nil {
            held.append(Held(channel: reference, message: message, context: context))
            return []
        }
        return sent(channels[reference.number]!.publish(message, context: context, maxBodyChunk: tuning.maxBodyChunk))
    }

    /// Closes the connection gracefully: connection.close is sent and the socket closed on close-ok.
    /// Requests still waiting fail with ``AMQPError/Code/clientClosed``.
    mutating func close() -> [Action] {
        switch state {
        case .initial, .awaitingStart, .awaitingTune, .awaitingOpenOK:
            state = .closed(.clientClosedConnection)
            return failEverything(with: .clientClosedConnection) + [.closeSocket(.clientClosedConnection)]
        case .open:
            state = .closing(nil)
            let close = AMQPFrame(channel: 0, payload: .method(.connection(.close(replyCode: 200, replyText: "OK", classID: 0, methodID: 0))))
            return sent([.send([close], completing: nil)]) + failEverything(with: .clientClosedConnection)
        case .closing, .closed:
            return []
        }
    }

    // MARK: events

    /// Takes one frame from the broker.
    mutating func receive(_ frame: AMQPFrame) -> [Action] {
        heartbeat.receivedSinceTick = true
        switch state {
        case .initial, .closed:
            return []
        case .closing(let error):
            if case .method(.connection(.closeOK)) = frame.payload {
                state = .closed(error)
                return [.closeSocket(error)]
            }
            if case .method(.connection(.close)) = frame.payload {
                return sent([.send([AMQPFrame(channel: 0, payload: .method(.connection(.closeOK)))], completing: nil)])
            }
            return []
        case .awaitingStart, .awaitingTune, .awaitingOpenOK:
            return handshake(frame)
        case .open:
            guard frame.channel != 0 else { return receiveOnChannelZero(frame.payload) }
            guard channels[frame.channel] != nil else {
                if case .method(.channel(.close)) = frame.payload {
                    return sent([.send([AMQPFrame(channel: frame.channel, payload: .method(.channel(.closeOK)))], completing: nil)])
                }
                return []  // a straggler for a channel already closed
            }
            do {
                let actions = try channels[frame.channel]!.receive(frame.payload)
                if channels[frame.channel]!.state == .closed { channels[frame.channel] = nil }
                return sent(actions)
            } catch {
                return fail(with: error, replyCode: 505)
            }
        }
    }

    /// Called every half heartbeat interval: sends a heartbeat after a whole interval with nothing sent, and declares
    /// the broker dead after two whole intervals with nothing received.
    mutating func heartbeatTick() -> [Action] {
        guard tuning.heartbeat > 0 else { return [] }
        switch state {
        case .awaitingOpenOK, .open, .closing: break
        case .initial, .awaitingStart, .awaitingTune, .closed: return []
        }
        heartbeat.silentTicks = heartbeat.receivedSinceTick ? 0 : heartbeat.silentTicks + 1
        heartbeat.idleSendTicks = heartbeat.sentSinceTick ? 0 : heartbeat.idleSendTicks + 1
        heartbeat.receivedSinceTick = false
        heartbeat.sentSinceTick = false
        if heartbeat.silentTicks >= 4 {
            let error = AMQPError(code: .heartbeatTimeout, message: "no frame from the broker for \(2 * Int(tuning.heartbeat)) seconds")
            state = .closed(error)
            return failEverything(with: error) + [.closeSocket(error)]
        }
        guard heartbeat.idleSendTicks >= 2 else { return [] }
        heartbeat.idleSendTicks = 0
        return [.send([.heartbeat], completing: nil)]
    }

    /// The socket closed or failed (`error`), or the decoder rejected the byte stream: everything still waiting fails.
    mutating func closed(error: AMQPError = .lost) -> [Action] {
        switch state {
        case .closed:
            return failEverything(with: error)
        case .closing(let reason):
            state = .closed(reason)
            return failEverything(with: error)
        case .initial, .awaitingStart, .awaitingTune, .awaitingOpenOK, .open:
            state = .closed(error)
            return failEverything(with: error)
        }
    }

    // MARK: private

    private mutating func handshake(_ frame: AMQPFrame) -> [Action] {
        guard frame.channel == 0, case .method(.connection(let method)) = frame.payload else {
            return abort(.protocolError("expected a connection method during the handshake, got \(frame)"))
        }
        switch (state, method) {
        case (_, .close(let replyCode, let replyText, let classID, let methodID)):
            let error = AMQPError.connectionClosed(replyCode: replyCode, replyText: replyText, classID: classID, methodID: methodID)
            state = .closed(error)
            return sent([.send([AMQPFrame(channel: 0, payload: .method(.connection(.closeOK)))], completing: nil), .closeSocket(error)])
        case (.awaitingStart, .start(let major, let minor, let properties, let mechanisms, _)):
            guard major == 0, minor == 9 else { return abort(.protocolError("the broker speaks AMQP \(major)-\(minor), not 0-9-1")) }
            guard mechanisms.split(separator: " ").contains("PLAIN") else {
                return abort(AMQPError(code: .authenticationFailed, message: "the broker offers \(mechanisms), not PLAIN"))
            }
            serverProperties = properties
            state = .awaitingTune
            let response = "\u{0}\(settings.username)\u{0}\(settings.password)"
            let startOK = AMQPMethod.connection(
                .startOK(clientProperties: settings.clientProperties, mechanism: "PLAIN", response: response, locale: "en_US"))
            return sent([.send([AMQPFrame(channel: 0, payload: .method(startOK))], completing: nil)])
        case (.awaitingTune, .secure):
            return abort(AMQPError(code: .authenticationFailed, message: "the broker sent a SASL challenge, which PLAIN does not answer"))
        case (.awaitingTune, .tune(let channelMax, let frameMax, let heartbeat)):
            tuning = AMQPTuning.negotiate(
                client: settings.tuning, server: AMQPTuning(channelMax: channelMax, frameMax: frameMax, heartbeat: heartbeat))
            state = .awaitingOpenOK
            let frames = [
                AMQPFrame(
                    channel: 0,
                    payload: .method(.connection(.tuneOK(channelMax: tuning.channelMax, frameMax: tuning.frameMax, heartbeat: tuning.heartbeat)))),
                AMQPFrame(channel: 0, payload: .method(.connection(.open(virtualHost: settings.virtualHost)))),
            ]
            return sent([.send(frames, completing: nil), .tuned(tuning)])
        case (.awaitingOpenOK, .openOK):
            state = .open
            return [.connected(tuning, serverProperties: serverProperties)]
        default:
            return abort(.protocolError("unexpected \(method) during the handshake"))
        }
    }

    private mutating func receiveOnChannelZero(_ payload: AMQPFrame.Payload) -> [Action] {
        switch payload {
        case .heartbeat:
            return []
        case .method(.connection(.close(let replyCode, let replyText, let classID, let methodID))):
            let error = AMQPError.connectionClosed(replyCode: replyCode, replyText: replyText, classID: classID, methodID: methodID)
            state = .closed(error)
            let closeOK = AMQPFrame(channel: 0, payload: .method(.connection(.closeOK)))
            return sent([.send([closeOK], completing: nil)]) + failEverything(with: error) + [.closeSocket(error)]
        case .method(.connection(.blocked(let reason))):
            blockedReason = reason
            return [.blocked(reason)]
        case .method(.connection(.unblocked)):
            blockedReason = nil
            var actions: [Action] = [.unblocked]
            while let next = held.popFirst() {
                actions += publish(next.message, on: next.channel, context: next.context)
            }
            return actions
        default:
            return fail(with: .protocolError("unexpected \(payload) on channel 0"), replyCode: 505)
        }
    }

    /// The broker broke the protocol after the handshake: tell it why with connection.close and fail everything.
    private mutating func fail(with error: AMQPError, replyCode: UInt16) -> [Action] {
        state = .closing(error)
        let text = String("UNEXPECTED_FRAME - \(error.message)".utf8.prefix(255)) ?? "UNEXPECTED_FRAME"
        let close = AMQPFrame(channel: 0, payload: .method(.connection(.close(replyCode: replyCode, replyText: text, classID: 0, methodID: 0))))
        return sent([.send([close], completing: nil)]) + failEverything(with: error)
    }

    /// Gives up during the handshake: close the socket at once.
    private mutating func abort(_ error: AMQPError) -> [Action] {
        state = .closed(error)
        return [.closeSocket(error)]
    }

    private mutating func failEverything(with error: AMQPError) -> [Action] {
        var actions: [Action] = []
        for number in channels.keys.sorted() {
            actions.append(.channelClosed(channel: number, error))
            actions += channels[number]!.connectionClosed(error)
        }
        channels.removeAll()
        while let next = held.popFirst() { actions.append(.fail(next.context, error)) }
        return actions
    }

    /// Notes whether the actions write anything, for the heartbeat.
    private mutating func sent(_ actions: [Action]) -> [Action] {
        if !heartbeat.sentSinceTick, actions.contains(where: { if case .send = $0 { true } else { false } }) {
            heartbeat.sentSinceTick = true
        }
        return actions
    }

    private var notOpenError: AMQPError {
        switch state {
        case .closed(let error?), .closing(let error?): error
        case .closing(nil), .closed(nil): .clientClosedConnection
        case .initial, .awaitingStart, .awaitingTune, .awaitingOpenOK, .open: AMQPError(code: .clientClosed, message: "the connection is not open")
        }
    }

    private func channelGoneError(_ reference: AMQPChannelReference) -> AMQPError {
        AMQPError(code: .clientClosed, message: "channel \(reference.number) is closed")
    }
}
