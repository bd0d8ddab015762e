import NIOCore

/// The state of one AMQP channel, as a value: opening and closing, the synchronous requests waiting for their replies,
/// content being assembled, unconfirmed publishes and the consumers it runs.
///
/// It performs no I/O and is owned by ``AMQPConnectionStateMachine``, which routes the channel's frames to it.
struct AMQPChannelStateMachine<Context> {
    typealias Action = AMQPAction<Context>

    enum State: Equatable {
        case opening, open, closing, closed
    }

    private struct Pending {
        /// The replies that answer the request, as `classID << 16 | methodID`.
        var replies: [UInt32]
        var context: Context
    }

    private struct Unconfirmed {
        var tag: UInt64
        var context: Context
        /// Kept for `mandatory` publishes only, to match a basic.return to its publish.
        var returnable: AMQPOutboundMessage?
        var returned: AMQPReturnedMessage?
    }

    let reference: AMQPChannelReference
    private(set) var state: State = .opening
    private var pending = CircularBuffer<Pending>()
    private var incoming: AMQPContentAssembler?
    private(set) var confirmsEnabled = false
    private(set) var nextPublishTag: UInt64 = 1
    private var unconfirmed = CircularBuffer<Unconfirmed>()
    private(set) var consumers: Set<String> = []
    private var closeContexts: [Context] = []

    /// Starts opening the channel; the action writes channel.open.
    init(reference: AMQPChannelReference, openContext: Context) {
        self.reference = reference
        pending.append(Pending(replies: [Self.key(20, 11)], context: openContext))
    }

    var openFrames: [AMQPFrame] { [frame(.channel(.open))] }

    /// Publishes waiting for their confirm.
    var unconfirmedCount: Int { unconfirmed.count }

    // MARK: requests from the client

    /// Sends a method; when it expects a synchronous reply the context waits for it, otherwise it is answered once written.
    mutating func request(_ method: AMQPMethod, context: Context) -> [Action] {
        guard state == .open else { return [.fail(context, notOpenError)] }
        if case .confirm(.select) = method { confirmsEnabled = true }
        let replies = Self.replies(to: method)
        if replies.isEmpty { return [.send([frame(method)], completing: context)] }
        pending.append(Pending(replies: replies, context: context))
        return [.send([frame(method)], completing: nil)]
    }

    /// Publishes a message; in confirm mode the context waits for the broker's ack, otherwise it is answered once written.
    mutating func publish(_ outgoing: AMQPOutboundMessage, context: Context, maxBodyChunk: Int) -> [Action] {
        guard state == .open else { return [.fail(context, notOpenError)] }
        let method = AMQPMethod.basic(.publish(exchange: outgoing.exchange, routingKey: outgoing.routingKey, mandatory: outgoing.mandatory))
        let frames = AMQPFrame.content(channel: reference.number, method: method, message: outgoing.message, maxBodyChunk: maxBodyChunk)
        guard confirmsEnabled else { return [.send(frames, completing: context)] }
        unconfirmed.append(Unconfirmed(tag: nextPublishTag, context: context, returnable: outgoing.mandatory ? outgoing : nil))
        nextPublishTag += 1
        return [.send(frames, completing: nil)]
    }

    /// Closes the channel from the client side: requests still waiting fail, consumers end, channel.close is written.
    mutating func close(context: Context) -> [Action] {
        switch state {
        case .opening, .open:
            state = .closing
            closeContexts.append(context)
            incoming = nil
            var actions: [Action] = [.send([frame(.channel(.close(replyCode: 200, replyText: "OK", classID: 0, methodID: 0)))], completing: nil)]
            actions += failAll(with: .clientClosedChannel, consumerError: nil)
            return actions
        case .closing:
            closeContexts.append(context)
            return []
        case .closed:
            return [.succeed(context, .done)]
        }
    }

    // MARK: frames from the broker

    /// Takes one frame addressed to this channel. Throws when the broker broke the protocol (the connection must close).
    mutating func receive(_ payload: AMQPFrame.Payload) throws(AMQPError) -> [Action] {
        switch state {
        case .closing: return receiveWhileClosing(payload)
        case .closed: return []
        case .opening, .open: break
        }
        switch payload {
        case .method(let method):
            guard incoming == nil else { throw .protocolError("\(method) arrived in the middle of a message's content") }
            return try receive(method)
        case .header(let header):
            guard var assembler = incoming else { throw .protocolError("a content header arrived with no method before it") }
            let message = try assembler.receive(header: header)
            return complete(assembler, message)
        case .body(let body):
            guard var assembler = incoming else { throw .protocolError("a body frame arrived with no method before it") }
            let message = try assembler.receive(body: body)
            return complete(assembler, message)
        case .heartbeat:
            throw .protocolError("a heartbeat arrived on channel \(reference.number)")
        }
    }

    /// The connection is gone: every waiting request fails with `error`; returns the actions that say so.
    mutating func connectionClosed(_ error: AMQPError) -> [Action] {
        var actions = failAll(with: error, consumerError: error)
        actions += closeContexts.map { .fail($0, error) }
        closeContexts = []
        state = .closed
        incoming = nil
        return actions
    }

    private mutating func receive(_ method: AMQPMethod) throws(AMQPError) -> [Action] {
        switch method {
        case .channel(.close(let replyCode, let replyText, let classID, let methodID)):
            let error = AMQPError.channelClosed(replyCode: replyCode, replyText: replyText, classID: classID, methodID: methodID)
            state = .closed
            // Marked closed before its requests fail, so that their callers see the channel closed.
            var actions: [Action] = [.send([frame(.channel(.closeOK))], completing: nil), .channelClosed(channel: reference.number, error)]
            actions += failAll(with: error, consumerError: error)
            return actions
        case .channel(.flow(let active)):
            return [.send([frame(.channel(.flowOK(active: active)))], completing: nil)]
        case .basic(.deliver), .basic(.returned):
            incoming = AMQPContentAssembler(method: method)
            return []
        case .basic(.ack(let tag, let multiple)):
            return settle(tag: tag, multiple: multiple, nacked: false)
        case .basic(.nack(let tag, let multiple, _)):
            return settle(tag: tag, multiple: multiple, nacked: true)
        case .basic(.cancel(let consumerTag, let noWait)):
            consumers.remove(consumerTag)
            let error = AMQPError(code: .consumerCancelled, message: "the broker cancelled consumer \(consumerTag)")
            var actions: [Action] = [.consumerEnded(channel: reference.number, consumerTag: consumerTag, error)]
            if !noWait { actions.append(.send([frame(.basic(.cancelOK(consumerTag: consumerTag)))], completing: nil)) }
            return actions
        default:
            return try answer(method)
        }
    }

    /// Matches a synchronous reply to the oldest waiting request.
    private mutating func answer(_ method: AMQPMethod) throws(AMQPError) -> [Action] {
        guard let first = pending.first, first.replies.contains(Self.key(method.classID, method.methodID)) else {
            throw .protocolError("unexpected \(method) on channel \(reference.number)")
        }
        switch method {
        case .basic(.getOK):
            incoming = AMQPContentAssembler(method: method)  // answered once its content is complete
            return []
        case .channel(.openOK):
            pending.removeFirst()
            state = .open
            return [.succeed(first.context, .channelOpened(reference))]
        case .basic(.consumeOK(let consumerTag)):
            pending.removeFirst()
            consumers.insert(consumerTag)
            return [.succeed(first.context, .method(method))]
        case .basic(.cancelOK(let consumerTag)):
            pending.removeFirst()
            consumers.remove(consumerTag)
            return [.consumerEnded(channel: reference.number, consumerTag: consumerTag, nil), .succeed(first.context, .method(method))]
        default:
            pending.removeFirst()
            return [.succeed(first.context, .method(method))]
        }
    }

    private mutating func complete(_ assembler: AMQPContentAssembler, _ message: AMQPMessage?) -> [Action] {
        guard let message else {
            incoming = assembler
            return []
        }
        incoming = nil
        switch assembler.method {
        case .basic(.deliver(let consumerTag, let deliveryTag, let redelivered, let exchange, let routingKey)):
            guard consumers.contains(consumerTag) else {
                // No one will ever settle it: hand it back so the broker can give it to someone else.
                return [.send([frame(.basic(.reject(deliveryTag: deliveryTag, requeue: true)))], completing: nil)]
            }
            let envelope = AMQPEnvelope(deliveryTag: deliveryTag, redelivered: redelivered, exchange: exchange, routingKey: routingKey)
            return [.deliver(channel: reference.number, consumerTag: consumerTag, envelope, message)]
        case .basic(.returned(let replyCode, let replyText, let exchange, let routingKey)):
            let returned = AMQPReturnedMessage(
                replyCode: replyCode, replyText: replyText, exchange: exchange, routingKey: routingKey, message: message)
            // RabbitMQ sends basic.return before the confirm of the same publish; the oldest identical publish not yet
            // returned is the one (identical messages are interchangeable).
            if let index = unconfirmed.firstIndex(where: {
                $0.returned == nil && $0.returnable?.exchange == exchange && $0.returnable?.routingKey == routingKey
                    && $0.returnable?.message == message
            }) {
                unconfirmed[index].returned = returned
            }
            return [.returned(channel: reference.number, returned)]
        case .basic(.getOK(let deliveryTag, let redelivered, let exchange, let routingKey, let messageCount)):
            let first = pending.removeFirst()
            let envelope = AMQPEnvelope(deliveryTag: deliveryTag, redelivered: redelivered, exchange: exchange, routingKey: routingKey)
            return [.succeed(first.context, .gotMessage(envelope, messageCount: messageCount, message))]
        default:
            return []
        }
    }

    private mutating func settle(tag: UInt64, multiple: Bool, nacked: Bool) -> [Action] {
        var settled: [Unconfirmed] = []
        if multiple {
            while let first = unconfirmed.first, first.tag <= tag { settled.append(unconfirmed.removeFirst()) }
        } else if let index = unconfirmed.firstIndex(where: { $0.tag == tag }) {
            settled.append(unconfirmed.remove(at: index))
        }
        return settled.map { publish in
            if nacked { return .fail(publish.context, AMQPError(code: .publishNacked, message: "the broker nacked the publish")) }
            if let returned = publish.returned {
                return .fail(
                    publish.context,
                    AMQPError(
                        code: .messageReturned, message: "the broker returned the unroutable message: \(returned.replyText)",
                        replyCode: returned.replyCode, replyText: returned.replyText))
            }
            return .succeed(publish.context, .done)
        }
    }

    private mutating func receiveWhileClosing(_ payload: AMQPFrame.Payload) -> [Action] {
        switch payload {
        case .method(.channel(.closeOK)):
            state = .closed
            let contexts = closeContexts
            closeContexts = []
            return [.channelClosed(channel: reference.number, nil)] + contexts.map { .succeed($0, .done) }
        case .method(.channel(.close)):
            // Both sides closed at once: each answers the other's close, and ours is still to be answered.
            return [.send([frame(.channel(.closeOK))], completing: nil)]
        default:
            return []  // the spec has a closing peer discard everything else
        }
    }

    private mutating func failAll(with error: AMQPError, consumerError: AMQPError?) -> [Action] {
        var actions: [Action] = pending.map { .fail($0.context, error) }
        actions += unconfirmed.map { .fail($0.context, error) }
        actions += consumers.sorted().map { .consumerEnded(channel: reference.number, consumerTag: $0, consumerError) }
        pending.removeAll()
        unconfirmed.removeAll()
        consumers.removeAll()
        return actions
    }

    private var notOpenError: AMQPError {
        AMQPError(code: .clientClosed, message: "channel \(reference.number) is not open")
    }

    private func frame(_ method: AMQPMethod) -> AMQPFrame {
        AMQPFrame(channel: reference.number, payload: .method(method))
    }

    static func key(_ classID: UInt16, _ methodID: UInt16) -> UInt32 { UInt32(classID) << 16 | UInt32(methodID) }

    /// The replies that answer a synchronous method; empty when none comes (asynchronous methods, or `noWait`).
    static func replies(to method: AMQPMethod) -> [UInt32] {
        switch method {
        case .exchange(.declare(_, _, _, _, _, _, let noWait, _)): noWait ? [] : [key(40, 11)]
        case .exchange(.delete(_, _, let noWait)): noWait ? [] : [key(40, 21)]
        case .queue(.declare(_, _, _, _, _, let noWait, _)): noWait ? [] : [key(50, 11)]
        case .queue(.bind(_, _, _, let noWait, _)): noWait ? [] : [key(50, 21)]
        case .queue(.purge(_, let noWait)): noWait ? [] : [key(50, 31)]
        case .queue(.delete(_, _, _, let noWait)): noWait ? [] : [key(50, 41)]
        case .queue(.unbind): [key(50, 51)]
        case .basic(.qos): [key(60, 11)]
        case .basic(.consume(_, _, _, _, _, let noWait, _)): noWait ? [] : [key(60, 21)]
        case .basic(.cancel(_, let noWait)): noWait ? [] : [key(60, 31)]
        case .basic(.get): [key(60, 71), key(60, 72)]
        case .confirm(.select(let noWait)): noWait ? [] : [key(85, 11)]
        case .channel(.flow): [key(20, 21)]
        default: []
        }
    }
}
