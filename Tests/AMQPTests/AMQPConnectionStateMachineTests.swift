import NIOCore
import Testing

@testable import AMQP

@Suite struct AMQPConnectionStateMachineTests {
    @Test func handshakeSendsHeaderStartOKTuneOKAndOpen() {
        var machine = Machine(settings: testSettings)
        #expect(machine.start() == [.sendProtocolHeader])
        #expect(machine.start() == [])

        let startOK = machine.receive(method(serverStart))
        let response = "\u{0}user\u{0}pa:ss"
        let expectedStartOK = AMQPMethod.connection(
            .startOK(clientProperties: ["product": "test"], mechanism: "PLAIN", response: response, locale: "en_US"))
        #expect(startOK == [.send([method(expectedStartOK)], completing: nil)])
        #expect(machine.serverProperties == ["product": "RabbitMQ"])

        let tuned = machine.receive(method(.connection(.tune(channelMax: 2047, frameMax: 131_072, heartbeat: 60))))
        let settled = AMQPTuning(channelMax: 100, frameMax: 65_536, heartbeat: 30)
        #expect(
            tuned == [
                .send(
                    [
                        method(.connection(.tuneOK(channelMax: 100, frameMax: 65_536, heartbeat: 30))),
                        method(.connection(.open(virtualHost: "/lastmile"))),
                    ], completing: nil),
                .tuned(settled),
            ])

        #expect(machine.receive(method(.connection(.openOK))) == [.connected(settled, serverProperties: ["product": "RabbitMQ"])])
        guard case .open = machine.state else {
            Issue.record("not open: \(machine.state)")
            return
        }
    }

    @Test(arguments: [
        // client, server, settled
        (
            AMQPTuning(channelMax: 100, frameMax: 65_536, heartbeat: 30), AMQPTuning(channelMax: 2047, frameMax: 131_072, heartbeat: 60),
            AMQPTuning(channelMax: 100, frameMax: 65_536, heartbeat: 30)
        ),
        (
            AMQPTuning(channelMax: 0, frameMax: 0, heartbeat: 0), AMQPTuning(channelMax: 2047, frameMax: 131_072, heartbeat: 60),
            AMQPTuning(channelMax: 2047, frameMax: 131_072, heartbeat: 60)
        ),
        (
            AMQPTuning(channelMax: 10, frameMax: 200_000, heartbeat: 5), AMQPTuning(channelMax: 0, frameMax: 0, heartbeat: 0),
            AMQPTuning(channelMax: 10, frameMax: 200_000, heartbeat: 5)
        ),
        (
            AMQPTuning(channelMax: 0, frameMax: 0, heartbeat: 0), AMQPTuning(channelMax: 0, frameMax: 0, heartbeat: 0),
            AMQPTuning(channelMax: 0, frameMax: 0, heartbeat: 0)
        ),
        (
            AMQPTuning(channelMax: 10, frameMax: 1_000, heartbeat: 90), AMQPTuning(channelMax: 20, frameMax: 131_072, heartbeat: 60),
            AMQPTuning(channelMax: 10, frameMax: 4_096, heartbeat: 60)
        ),
    ])
    func tuningTakesTheSmallerNonZeroValue(client: AMQPTuning, server: AMQPTuning, settled: AMQPTuning) {
        #expect(AMQPTuning.negotiate(client: client, server: server) == settled)
    }

    @Test func brokerWithoutPLAINIsAnAuthenticationFailure() {
        var machine = Machine(settings: testSettings)
        _ = machine.start()
        let start = AMQPMethod.connection(
            .start(versionMajor: 0, versionMinor: 9, serverProperties: [:], mechanisms: "EXTERNAL AMQPLAIN", locales: "en_US"))
        let actions = machine.receive(method(start))
        guard case .closeSocket(let error?) = actions.first, actions.count == 1 else {
            Issue.record("expected a close, got \(actions)")
            return
        }
        #expect(error.code == .authenticationFailed)
    }

    @Test func brokerOfAnotherVersionIsAProtocolError() {
        var machine = Machine(settings: testSettings)
        _ = machine.start()
        let start = AMQPMethod.connection(.start(versionMajor: 0, versionMinor: 8, serverProperties: [:], mechanisms: "PLAIN", locales: "en_US"))
        guard case .closeSocket(let error?) = machine.receive(method(start)).first else {
            Issue.record("expected a close")
            return
        }
        #expect(error.code == .protocolError)
    }

    @Test func refusedCredentialsAreAnsweredWithCloseOKAndReported() {
        var machine = Machine(settings: testSettings)
        _ = machine.start()
        _ = machine.receive(method(serverStart))
        let close = AMQPMethod.connection(.close(replyCode: 403, replyText: "ACCESS_REFUSED - Login was refused", classID: 0, methodID: 0))
        let error = AMQPError.connectionClosed(replyCode: 403, replyText: "ACCESS_REFUSED - Login was refused", classID: 0, methodID: 0)
        #expect(machine.receive(method(close)) == [.send([method(.connection(.closeOK))], completing: nil), .closeSocket(error)])
        #expect(error.code == .authenticationFailed)
        #expect(error.replyCode == 403)
    }

    @Test func unexpectedFrameDuringHandshakeClosesTheSocket() {
        var machine = Machine(settings: testSettings)
        _ = machine.start()
        guard case .closeSocket(let error?) = machine.receive(method(.channel(.openOK), channel: 1)).first else {
            Issue.record("expected a close")
            return
        }
        #expect(error.code == .protocolError)
    }

    // MARK: heartbeats

    @Test func idleConnectionSendsAHeartbeatEveryIntervalAndDiesAfterTwoSilentIntervals() {
        var machine = openMachine()  // heartbeat 30 s: ticks every 15 s
        #expect(machine.heartbeatTick() == [])  // the handshake both sent and received in this half interval
        #expect(machine.heartbeatTick() == [])  // idle for half an interval
        #expect(machine.heartbeatTick() == [.send([.heartbeat], completing: nil)])  // idle for a whole interval
        #expect(machine.heartbeatTick() == [])  // nothing received for 1.5 intervals
        let last = machine.heartbeatTick()  // nothing received for 2 intervals
        guard case .closeSocket(let error?) = last.last else {
            Issue.record("expected the connection to be declared dead, got \(last)")
            return
        }
        #expect(error.code == .heartbeatTimeout)
        #expect(machine.heartbeatTick() == [])
    }

    @Test func anyFrameFromTheBrokerKeepsTheConnectionAlive() {
        var machine = openMachine()
        for _ in 0..<20 {
            _ = machine.receive(.heartbeat)
            let actions = machine.heartbeatTick()
            #expect(actions.allSatisfy { if case .closeSocket = $0 { false } else { true } })
        }
    }

    @Test func trafficFromTheClientPostponesItsHeartbeat() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        var heartbeats = 0
        for tick in 0..<20 {
            if tick.isMultiple(of: 2) { _ = machine.request(.basic(.ack(deliveryTag: 1)), on: channel, context: tick) }
            _ = machine.receive(.heartbeat)
            heartbeats += sentFrames(machine.heartbeatTick()).count
        }
        #expect(heartbeats == 0)
    }

    @Test func heartbeatZeroMeansNoTicks() {
        var settings = testSettings
        settings.tuning.heartbeat = 0
        var machine = openMachine(settings: settings, serverTuning: AMQPTuning(heartbeat: 0))
        for _ in 0..<10 { #expect(machine.heartbeatTick() == []) }
    }

    // MARK: blocked

    @Test func publishesWaitWhileBlockedAndGoOutInOrderWhenUnblocked() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        #expect(machine.receive(method(.connection(.blocked(reason: "low on memory")))) == [.blocked("low on memory")])
        #expect(machine.blockedReason == "low on memory")
        let first = AMQPOutboundMessage(exchange: "", routingKey: "q", mandatory: false, message: AMQPMessage(body: ByteBuffer(string: "1")))
        var second = first
        second.message.body = ByteBuffer(string: "2")
        #expect(machine.publish(first, on: channel, context: 1) == [])
        #expect(machine.publish(second, on: channel, context: 2) == [])
        // Other methods are not held back.
        #expect(sentFrames(machine.request(.basic(.ack(deliveryTag: 9)), on: channel, context: 3)).count == 1)

        let actions = machine.receive(method(.connection(.unblocked)))
        #expect(actions.first == .unblocked)
        let bodies = sentFrames(actions).compactMap { frame -> String? in
            if case .body(let body) = frame.payload { return String(buffer: body) }
            return nil
        }
        #expect(bodies == ["1", "2"])
        #expect(machine.blockedReason == nil)
    }

    @Test func heldPublishesFailWhenTheConnectionIsLost() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        _ = machine.receive(method(.connection(.blocked(reason: "disk"))))
        let message = AMQPOutboundMessage(exchange: "", routingKey: "q", mandatory: false, message: AMQPMessage(body: ByteBuffer()))
        _ = machine.publish(message, on: channel, context: 7)
        #expect(machine.closed().contains(.fail(7, .lost)))
    }

    // MARK: closing

    @Test func clientCloseSendsCloseAndClosesTheSocketOnCloseOK() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        _ = machine.request(.queue(.declare(queue: "q")), on: channel, context: 1)
        let actions = machine.close()
        #expect(sentFrames(actions) == [method(.connection(.close(replyCode: 200, replyText: "OK", classID: 0, methodID: 0)))])
        #expect(actions.contains(.fail(1, .clientClosedConnection)))
        #expect(actions.contains(.channelClosed(channel: channel.number, .clientClosedConnection)))
        #expect(machine.close() == [])
        // Whatever else arrives before close-ok is dropped.
        #expect(machine.receive(method(.queue(.declareOK(queue: "q", messageCount: 0, consumerCount: 0)), channel: channel.number)) == [])
        #expect(machine.receive(method(.connection(.closeOK))) == [.closeSocket(nil)])
        #expect(machine.openChannel(context: 2) == [.fail(2, .clientClosedConnection)])
    }

    @Test func closeBeforeTheHandshakeEndsClosesTheSocketAtOnce() {
        var machine = Machine(settings: testSettings)
        _ = machine.start()
        #expect(machine.close() == [.closeSocket(.clientClosedConnection)])
    }

    @Test func bothSidesClosingAtOnceAnswerEachOther() {
        var machine = openMachine()
        _ = machine.close()
        let close = method(.connection(.close(replyCode: 320, replyText: "CONNECTION_FORCED", classID: 0, methodID: 0)))
        #expect(machine.receive(close) == [.send([method(.connection(.closeOK))], completing: nil)])
        #expect(machine.receive(method(.connection(.closeOK))) == [.closeSocket(nil)])
    }

    @Test func brokerCloseFailsEverythingWithItsReplyAndClosesTheSocket() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        _ = machine.request(.queue(.declare(queue: "q")), on: channel, context: 1)
        let actions = machine.receive(method(.connection(.close(replyCode: 320, replyText: "CONNECTION_FORCED - shutdown", classID: 0, methodID: 0))))
        let error = AMQPError.connectionClosed(replyCode: 320, replyText: "CONNECTION_FORCED - shutdown", classID: 0, methodID: 0)
        #expect(
            actions == [
                .send([method(.connection(.closeOK))], completing: nil),
                .channelClosed(channel: channel.number, error),
                .fail(1, error),
                .closeSocket(error),
            ])
        #expect(error.code == .connectionClosed)
        #expect(machine.request(.queue(.declare(queue: "q")), on: channel, context: 2) == [.fail(2, error)])
    }

    @Test func protocolViolationClosesWithUnexpectedFrame() {
        var machine = openMachine()
        let channel = openChannel(&machine)
        _ = machine.request(.queue(.declare(queue: "q")), on: channel, context: 1)
        // A body frame with no deliver before it.
        let actions = machine.receive(AMQPFrame(channel: channel.number, payload: .body(ByteBuffer(string: "x"))))
        guard case .send(let frames, nil) = actions.first, case .method(.connection(.close(505, _, _, _))) = frames.first?.payload else {
            Issue.record("expected connection.close 505, got \(actions)")
            return
        }
        #expect(actions.contains { if case .fail(1, let error) = $0 { error.code == .protocolError } else { false } })
        #expect(
            machine.receive(method(.connection(.closeOK))).first.map {
                if case .closeSocket(let error?) = $0 { error.code == .protocolError } else { false }
            } == true)
    }

    @Test func unexpectedMethodOnChannelZeroIsAProtocolError() {
        var machine = openMachine()
        let actions = machine.receive(method(.channel(.openOK)))
        #expect(sentFrames(actions).first.map { if case .method(.connection(.close(505, _, _, _))) = $0.payload { true } else { false } } == true)
    }

    @Test func connectionLossFailsEveryChannelsRequests() {
        var machine = openMachine()
        let first = openChannel(&machine, context: 10)
        let second = openChannel(&machine, context: 20)
        _ = machine.request(.queue(.declare(queue: "a")), on: first, context: 1)
        _ = machine.request(.queue(.declare(queue: "b")), on: second, context: 2)
        let actions = machine.closed()
        #expect(actions.contains(.fail(1, .lost)))
        #expect(actions.contains(.fail(2, .lost)))
        #expect(actions.contains(.channelClosed(channel: first.number, .lost)))
        #expect(machine.channelCount == 0)
    }
}
