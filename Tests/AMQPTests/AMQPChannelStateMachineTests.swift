import NIOCore
import Testing

@testable import AMQP

@Suite struct AMQPChannelStateMachineTests {
    private func outgoing(_ body: String, mandatory: Bool = false, routingKey: String = "rk") -> AMQPOutboundMessage {
        AMQPOutboundMessage(
            exchange: "ex", routingKey: routingKey, mandatory: mandatory,
            message: AMQPMessage(properties: AMQPBasicProperties(messageID: body), body: ByteBuffer(string: body)))
    }

    @Test func openingAChannelSendsOpenAndAnswersWithItsReference() {
        var machine = openMachine()
        #expect(machine.openChannel(context: 1) == [.send([method(.channel(.open), channel: 1)], completing: nil)])
        #expect(machine.channelState(1) == .opening)
        #expect(machine.receive(method(.channel(.openOK), channel: 1)) == [.succeed(1, .channelOpened(AMQPChannelReference(number: 1, serial: 1)))])
        #expect(machine.channelState(1) == .open)
    }

    @Test func channelNumbersGoRoundAndStopAtChannelMax() {
        var settings = testSettings
        settings.tuning.channelMax = 2
        var machine = openMachine(settings: settings)
        let first = openChannel(&machine, context: 1)
        let second = openChannel(&machine, context: 2)
        #expect([first.number, second.number] == [1, 2])
        guard case .fail(3, let error) = machine.openChannel(context: 3).first else {
            Issue.record("a third channel opened")
            return
        }
        #expect(error.code == .channelLimitReached)
        _ = machine.closeChannel(first, context: 4)
        _ = machine.receive(method(.channel(.closeOK), channel: 1))
        let third = openChannel(&machine, context: 5)
        #expect(third == AMQPChannelReference(number: 1, serial: 3))
    }

    @Test func requestsOnAnEarlierChannelWithTheSameNumberFail() {
        var settings = testSettings
        settings.tuning.channelMax = 1
        var machine = openMachine(settings: settings)
        let old = openChannel(&machine, context: 1)
        _ = machine.closeChannel(old, context: 2)
        _ = machine.receive(method(.channel(.closeOK), channel: 1))
        let new = openChannel(&machine, context: 3)
        #expect(new.number == old.number)
        guard case .fail(4, let error) = machine.request(.basic(.ack(deliveryTag: 1)), on: old, context: 4).first else {
            Issue.record("an ack for the old channel went out on the new one")
            return
        }
        #expect(error.code == .clientClosed)
    }

    @Test func synchronousRepliesAnswerRequestsInOrder() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        let declare = machine.request(.queue(.declare(queue: "q", durable: true, arguments: ["x-queue-type": "quorum"])), on: channel, context: 1)
        #expect(
            declare == [
                .send([method(.queue(.declare(queue: "q", durable: true, arguments: ["x-queue-type": "quorum"])), channel: 1)], completing: nil)
            ])
        _ = machine.request(.queue(.bind(queue: "q", exchange: "ex", routingKey: "a.*")), on: channel, context: 2)
        let declareOK = AMQPMethod.queue(.declareOK(queue: "q", messageCount: 3, consumerCount: 0))
        #expect(machine.receive(method(declareOK, channel: 1)) == [.succeed(1, .method(declareOK))])
        #expect(machine.receive(method(.queue(.bindOK), channel: 1)) == [.succeed(2, .method(.queue(.bindOK)))])
    }

    @Test func asynchronousMethodsAreAnsweredOnceWritten() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        let ack = AMQPMethod.basic(.ack(deliveryTag: 5, multiple: true))
        #expect(machine.request(ack, on: channel, context: 1) == [.send([method(ack, channel: 1)], completing: 1)])
        let noWait = AMQPMethod.exchange(.declare(exchange: "e", type: "topic", noWait: true))
        #expect(machine.request(noWait, on: channel, context: 2) == [.send([method(noWait, channel: 1)], completing: 2)])
    }

    @Test func aReplyNoRequestWaitsForIsAProtocolError() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        _ = machine.request(.queue(.declare(queue: "q")), on: channel, context: 1)
        let actions = machine.receive(method(.queue(.bindOK), channel: channel.number))
        #expect(actions.contains { if case .fail(1, let error) = $0 { error.code == .protocolError } else { false } })
    }

    @Test func brokerChannelCloseFailsTheChannelOnlyAndIsAnswered() {
        var machine = openMachine()
        let failing = openChannel(&machine, context: 10)
        let healthy = openChannel(&machine, context: 20)
        _ = machine.request(.queue(.declare(queue: "missing", passive: true)), on: failing, context: 1)
        let close = AMQPMethod.channel(.close(replyCode: 404, replyText: "NOT_FOUND - no queue 'missing' in vhost '/'", classID: 50, methodID: 10))
        let error = AMQPError.channelClosed(replyCode: 404, replyText: "NOT_FOUND - no queue 'missing' in vhost '/'", classID: 50, methodID: 10)
        #expect(
            machine.receive(method(close, channel: failing.number)) == [
                .send([method(.channel(.closeOK), channel: failing.number)], completing: nil),
                .channelClosed(channel: failing.number, error),
                .fail(1, error),
            ])
        #expect(error.code == .channelClosed && error.replyCode == 404 && error.classID == 50 && error.methodID == 10)
        #expect(machine.channelState(failing.number) == nil)
        #expect(
            machine.request(.queue(.declare(queue: "q")), on: failing, context: 2).first.map { if case .fail(2, _) = $0 { true } else { false } }
                == true)
        #expect(sentFrames(machine.request(.queue(.declare(queue: "q")), on: healthy, context: 3)).count == 1)
    }

    @Test func clientChannelCloseFailsWaitingRequestsAndEndsOnCloseOK() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        _ = machine.request(.queue(.declare(queue: "q")), on: channel, context: 1)
        _ = machine.request(.basic(.consume(queue: "q")), on: channel, context: 2)
        _ = machine.receive(method(.queue(.declareOK(queue: "q", messageCount: 0, consumerCount: 0)), channel: 1))
        _ = machine.receive(method(.basic(.consumeOK(consumerTag: "c1")), channel: 1))
        _ = machine.request(.queue(.purge(queue: "q")), on: channel, context: 3)
        let actions = machine.closeChannel(channel, context: 4)
        #expect(
            actions == [
                .send([method(.channel(.close(replyCode: 200, replyText: "OK", classID: 0, methodID: 0)), channel: 1)], completing: nil),
                .fail(3, .clientClosedChannel),
                .consumerEnded(channel: 1, consumerTag: "c1", nil),
            ])
        #expect(machine.channelState(1) == .closing)
        // Deliveries still on the way are dropped, the broker's own close is answered.
        #expect(machine.receive(deliveryFrames(channel: 1, tag: "c1", deliveryTag: 1, body: "late")) == [])
        let brokerClose = method(.channel(.close(replyCode: 406, replyText: "PRECONDITION_FAILED", classID: 60, methodID: 80)), channel: 1)
        #expect(machine.receive(brokerClose) == [.send([method(.channel(.closeOK), channel: 1)], completing: nil)])
        #expect(machine.receive(method(.channel(.closeOK), channel: 1)) == [.channelClosed(channel: 1, nil), .succeed(4, .done)])
        #expect(machine.channelState(1) == nil)
    }

    @Test func framesForAClosedChannelAreIgnoredButACloseIsAnswered() {
        var machine = openMachine()
        #expect(machine.receive(deliveryFrames(channel: 9, tag: "c", deliveryTag: 1, body: "x")) == [])
        let close = method(.channel(.close(replyCode: 504, replyText: "CHANNEL_ERROR", classID: 0, methodID: 0)), channel: 9)
        #expect(machine.receive(close) == [.send([method(.channel(.closeOK), channel: 9)], completing: nil)])
    }

    @Test func flowIsAcknowledged() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        #expect(
            machine.receive(method(.channel(.flow(active: false)), channel: channel.number)) == [
                .send([method(.channel(.flowOK(active: false)), channel: 1)], completing: nil)
            ])
    }

    // MARK: content

    @Test(arguments: [0, 1, 2, 7])
    func deliveriesAreAssembledFromHeaderAndBodyFrames(chunks: Int) {
        var machine = openMachine()
        let channel = openChannel(&machine)
        _ = machine.request(.basic(.consume(queue: "q", consumerTag: "c1")), on: channel, context: 1)
        _ = machine.receive(method(.basic(.consumeOK(consumerTag: "c1")), channel: 1))
        let body = chunks == 0 ? "" : "a body cut into several frames"
        let properties = AMQPBasicProperties(contentType: "text/plain", deliveryMode: 2, messageID: "m1", timestamp: 1_700_000_000, type: "t")
        let frames = deliveryFrames(channel: 1, tag: "c1", deliveryTag: 42, body: body, chunks: max(chunks, 1), properties: properties)
        for frame in frames.dropLast() { #expect(machine.receive(frame) == []) }
        let envelope = AMQPEnvelope(deliveryTag: 42, redelivered: false, exchange: "ex", routingKey: "rk")
        #expect(
            machine.receive(frames.last!) == [
                .deliver(channel: 1, consumerTag: "c1", envelope, AMQPMessage(properties: properties, body: ByteBuffer(string: body)))
            ])
    }

    @Test func contentOnInterleavedChannelsIsAssembledPerChannel() {
        var machine = openMachine()
        for number: UInt16 in [1, 2] {
            let channel = openChannel(&machine, context: Int(number))
            _ = machine.request(.basic(.consume(queue: "q", consumerTag: "c\(number)")), on: channel, context: 10)
            _ = machine.receive(method(.basic(.consumeOK(consumerTag: "c\(number)")), channel: number))
        }
        let one = deliveryFrames(channel: 1, tag: "c1", deliveryTag: 1, body: "first", chunks: 2)
        let two = deliveryFrames(channel: 2, tag: "c2", deliveryTag: 1, body: "second", chunks: 2)
        let interleaved = zip(one, two).flatMap { [$0, $1] }
        let delivered = machine.receive(interleaved).compactMap { action -> String? in
            if case .deliver(_, let tag, _, let message) = action { return "\(tag):\(String(buffer: message.body))" }
            return nil
        }
        #expect(delivered == ["c1:first", "c2:second"])
    }

    @Test func deliveryForAnUnknownConsumerIsRejectedBackToTheQueue() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        let actions = machine.receive(deliveryFrames(channel: channel.number, tag: "ghost", deliveryTag: 8, body: "x"))
        #expect(actions == [.send([method(.basic(.reject(deliveryTag: 8, requeue: true)), channel: 1)], completing: nil)])
    }

    @Test func aMethodInTheMiddleOfContentIsAProtocolError() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        var frames = deliveryFrames(channel: channel.number, tag: "c", deliveryTag: 1, body: "xx", chunks: 2)
        frames.insert(method(.basic(.qosOK), channel: 1), at: 2)
        let actions = machine.receive(frames)
        #expect(sentFrames(actions).contains { if case .method(.connection(.close(505, _, _, _))) = $0.payload { true } else { false } })
    }

    @Test func bodyLongerThanAnnouncedIsAProtocolError() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        let frames = [
            method(.basic(.deliver(consumerTag: "c", deliveryTag: 1, redelivered: false, exchange: "", routingKey: "q")), channel: channel.number),
            AMQPFrame(channel: 1, payload: .header(AMQPContentHeader(bodySize: 2))),
            AMQPFrame(channel: 1, payload: .body(ByteBuffer(string: "abc"))),
        ]
        #expect(
            sentFrames(machine.receive(frames)).contains { if case .method(.connection(.close(505, _, _, _))) = $0.payload { true } else { false } })
    }

    @Test func publishedBodiesAreSplitByFrameMax() {
        var settings = testSettings
        settings.tuning.frameMax = 4096
        var machine = openMachine(settings: settings)
        let channel = openChannel(&machine)
        let body = ByteBuffer(repeating: 7, count: 10_000)
        let message = AMQPOutboundMessage(exchange: "ex", routingKey: "rk", mandatory: true, message: AMQPMessage(body: body))
        let actions = machine.publish(message, on: channel, context: 1)
        guard case .send(let frames, completing: 1) = actions.first else {
            Issue.record("expected the publish to be answered once written: \(actions)")
            return
        }
        #expect(frames.first == method(.basic(.publish(exchange: "ex", routingKey: "rk", mandatory: true)), channel: 1))
        #expect(frames[1] == AMQPFrame(channel: 1, payload: .header(AMQPContentHeader(bodySize: 10_000))))
        let sizes = frames.dropFirst(2).map { frame -> Int in
            if case .body(let chunk) = frame.payload { return chunk.readableBytes }
            return -1
        }
        #expect(sizes == [4088, 4088, 1824])
        for frame in frames {
            var wire = ByteBuffer()
            try? frame.encode(into: &wire)
            #expect(wire.readableBytes <= 4096)
        }
    }

    @Test func emptyBodyIsPublishedWithoutBodyFrames() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        let message = AMQPOutboundMessage(exchange: "", routingKey: "q", mandatory: false, message: AMQPMessage(body: ByteBuffer()))
        #expect(sentFrames(machine.publish(message, on: channel, context: 1)).count == 2)
    }

    // MARK: publisher confirms

    private func confirmingChannel(_ machine: inout Machine) -> AMQPChannelReference {
        let channel = openChannel(&machine)
        _ = machine.request(.confirm(.select()), on: channel, context: 50)
        #expect(machine.receive(method(.confirm(.selectOK), channel: channel.number)) == [.succeed(50, .method(.confirm(.selectOK)))])
        return channel
    }

    @Test func confirmsSettlePublishesByDeliveryTagWithMultiple() {
        var machine = openMachine()
        let channel = confirmingChannel(&machine)
        for context in 1...4 {
            #expect(machine.publish(outgoing("m\(context)"), on: channel, context: context).count == 1)
        }
        #expect(machine.receive(method(.basic(.ack(deliveryTag: 2, multiple: true)), channel: 1)) == [.succeed(1, .done), .succeed(2, .done)])
        #expect(machine.receive(method(.basic(.ack(deliveryTag: 4)), channel: 1)) == [.succeed(4, .done)])
        let nacked = machine.receive(method(.basic(.nack(deliveryTag: 3, requeue: false)), channel: 1))
        guard case .fail(3, let error) = nacked.first, nacked.count == 1 else {
            Issue.record("expected publish 3 to fail: \(nacked)")
            return
        }
        #expect(error.code == .publishNacked)
        #expect(machine.receive(method(.basic(.ack(deliveryTag: 4)), channel: 1)) == [])
    }

    @Test func nackWithMultipleFailsEveryEarlierPublish() {
        var machine = openMachine()
        let channel = confirmingChannel(&machine)
        for context in 1...3 { _ = machine.publish(outgoing("m"), on: channel, context: context) }
        let actions = machine.receive(method(.basic(.nack(deliveryTag: 3, multiple: true, requeue: false)), channel: 1))
        #expect(actions.count == 3)
        #expect(actions.allSatisfy { if case .fail(_, let error) = $0 { error.code == .publishNacked } else { false } })
    }

    @Test func returnedMandatoryPublishFailsWhenConfirmed() {
        var machine = openMachine()
        let channel = confirmingChannel(&machine)
        _ = machine.publish(outgoing("routed", mandatory: true), on: channel, context: 1)
        _ = machine.publish(outgoing("lost", mandatory: true, routingKey: "nowhere"), on: channel, context: 2)
        let lost = outgoing("lost", mandatory: true, routingKey: "nowhere").message
        let frames = [
            method(.basic(.returned(replyCode: 312, replyText: "NO_ROUTE", exchange: "ex", routingKey: "nowhere")), channel: 1),
            AMQPFrame(channel: 1, payload: .header(AMQPContentHeader(bodySize: 4, properties: lost.properties))),
            AMQPFrame(channel: 1, payload: .body(ByteBuffer(string: "lost"))),
        ]
        let returned = AMQPReturnedMessage(replyCode: 312, replyText: "NO_ROUTE", exchange: "ex", routingKey: "nowhere", message: lost)
        #expect(machine.receive(frames) == [.returned(channel: 1, returned)])
        let actions = machine.receive(method(.basic(.ack(deliveryTag: 2, multiple: true)), channel: 1))
        #expect(actions.first == .succeed(1, .done))
        guard case .fail(2, let error) = actions.last else {
            Issue.record("the returned publish did not fail: \(actions)")
            return
        }
        #expect(error.code == .messageReturned && error.replyCode == 312 && error.replyText == "NO_ROUTE")
    }

    @Test func withoutConfirmsAReturnIsOnlyReported() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        let message = outgoing("x", mandatory: true)
        #expect(
            machine.publish(message, on: channel, context: 1) == [.send(sentFrames(machine.publish(message, on: channel, context: 1)), completing: 1)]
        )
        let frames = [
            method(.basic(.returned(replyCode: 312, replyText: "NO_ROUTE", exchange: "ex", routingKey: "rk")), channel: 1),
            AMQPFrame(channel: 1, payload: .header(AMQPContentHeader(bodySize: 0))),
        ]
        let actions = machine.receive(frames)
        #expect(actions.count == 1)
        #expect(actions.first.map { if case .returned = $0 { true } else { false } } == true)
    }

    @Test func unconfirmedPublishesFailWhenTheBrokerClosesTheChannel() {
        var machine = openMachine()
        let channel = confirmingChannel(&machine)
        _ = machine.publish(outgoing("a"), on: channel, context: 1)
        let close = method(.channel(.close(replyCode: 404, replyText: "NOT_FOUND - no exchange 'ex'", classID: 60, methodID: 40)), channel: 1)
        #expect(machine.receive(close).contains { if case .fail(1, let error) = $0 { error.code == .channelClosed } else { false } })
    }

    // MARK: consumers

    @Test func consumerLifecycle() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        _ = machine.request(.basic(.qos(prefetchCount: 10)), on: channel, context: 1)
        #expect(machine.receive(method(.basic(.qosOK), channel: 1)) == [.succeed(1, .method(.basic(.qosOK)))])
        _ = machine.request(.basic(.consume(queue: "q")), on: channel, context: 2)
        #expect(
            machine.receive(method(.basic(.consumeOK(consumerTag: "amq.ctag-1")), channel: 1)) == [
                .succeed(2, .method(.basic(.consumeOK(consumerTag: "amq.ctag-1"))))
            ])
        _ = machine.request(.basic(.consume(queue: "r", consumerTag: "mine")), on: channel, context: 3)
        _ = machine.receive(method(.basic(.consumeOK(consumerTag: "mine")), channel: 1))

        // The broker cancels one (its queue was deleted) …
        let cancelled = machine.receive(method(.basic(.cancel(consumerTag: "amq.ctag-1", noWait: true)), channel: 1))
        guard case .consumerEnded(1, "amq.ctag-1", let error?) = cancelled.first, cancelled.count == 1 else {
            Issue.record("expected the consumer to end: \(cancelled)")
            return
        }
        #expect(error.code == .consumerCancelled)
        // … and the client the other.
        _ = machine.request(.basic(.cancel(consumerTag: "mine")), on: channel, context: 4)
        #expect(
            machine.receive(method(.basic(.cancelOK(consumerTag: "mine")), channel: 1)) == [
                .consumerEnded(channel: 1, consumerTag: "mine", nil), .succeed(4, .method(.basic(.cancelOK(consumerTag: "mine")))),
            ])
    }

    @Test func brokerCancelThatWaitsIsAnswered() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        let actions = machine.receive(method(.basic(.cancel(consumerTag: "c", noWait: false)), channel: channel.number))
        #expect(actions.last == .send([method(.basic(.cancelOK(consumerTag: "c")), channel: 1)], completing: nil))
    }

    @Test func getAnswersWithTheMessageOrEmpty() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        _ = machine.request(.basic(.get(queue: "q")), on: channel, context: 1)
        _ = machine.request(.basic(.get(queue: "q")), on: channel, context: 2)
        let frames = [
            method(.basic(.getOK(deliveryTag: 3, redelivered: true, exchange: "", routingKey: "q", messageCount: 0)), channel: 1),
            AMQPFrame(channel: 1, payload: .header(AMQPContentHeader(bodySize: 2))),
            AMQPFrame(channel: 1, payload: .body(ByteBuffer(string: "hi"))),
        ]
        let envelope = AMQPEnvelope(deliveryTag: 3, redelivered: true, exchange: "", routingKey: "q")
        #expect(machine.receive(frames) == [.succeed(1, .gotMessage(envelope, messageCount: 0, AMQPMessage(body: ByteBuffer(string: "hi"))))])
        #expect(machine.receive(method(.basic(.getEmpty), channel: 1)) == [.succeed(2, .method(.basic(.getEmpty)))])
    }

    // MARK: requests out of turn

    @Test func requestsBeforeTheConnectionOpensFail() {
        var machine = Machine(settings: testSettings)
        _ = machine.start()
        guard case .fail(1, let error) = machine.openChannel(context: 1).first else {
            Issue.record("a channel opened before the handshake finished")
            return
        }
        #expect(error.code == .clientClosed)
    }

    @Test func requestsOnAClosingChannelFailAndASecondCloseWaitsForTheFirst() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        _ = machine.closeChannel(channel, context: 1)
        #expect(
            machine.request(.basic(.qos(prefetchCount: 1)), on: channel, context: 2).first.map { if case .fail(2, _) = $0 { true } else { false } }
                == true)
        let message = AMQPOutboundMessage(routingKey: "q", message: AMQPMessage(body: ByteBuffer()))
        #expect(machine.publish(message, on: channel, context: 3).first.map { if case .fail(3, _) = $0 { true } else { false } } == true)
        #expect(machine.closeChannel(channel, context: 4) == [])
        #expect(machine.receive(method(.channel(.closeOK), channel: 1)) == [.channelClosed(channel: 1, nil), .succeed(1, .done), .succeed(4, .done)])
        #expect(machine.closeChannel(channel, context: 5) == [.succeed(5, .done)])
    }

    @Test func closingAChannelFailsItsPublishesHeldByABlockedBroker() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        _ = machine.receive(method(.connection(.blocked(reason: "disk"))))
        let message = AMQPOutboundMessage(routingKey: "q", message: AMQPMessage(body: ByteBuffer()))
        #expect(machine.publish(message, on: channel, context: 1) == [])
        #expect(machine.closeChannel(channel, context: 2).first == .fail(1, .clientClosedChannel))
        let unblocked = machine.receive(method(.connection(.unblocked)))
        #expect(unblocked == [.unblocked])
    }

    @Test func aDeliveryToAConsumerBeingCancelledStillArrives() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        _ = machine.request(.basic(.consume(queue: "q", consumerTag: "c")), on: channel, context: 1)
        _ = machine.receive(method(.basic(.consumeOK(consumerTag: "c")), channel: 1))
        _ = machine.request(.basic(.cancel(consumerTag: "c")), on: channel, context: 2)
        let actions = machine.receive(deliveryFrames(channel: 1, tag: "c", deliveryTag: 4, body: "in flight"))
        #expect(actions.first.map { if case .deliver(1, "c", _, _) = $0 { true } else { false } } == true)
    }
}
