import NIOCore
import Testing

@testable import AMQP

/// The broker's bytes go through the decoder and the state machine cut at every byte boundary; the actions must not
/// depend on where the cuts fall.
@Suite struct AMQPStateMachineSplitTests {
    private struct Phase {
        var client: (inout Machine) -> Void
        var broker: [AMQPFrame]
    }

    private static let properties = AMQPBasicProperties(
        contentType: "application/json", headers: ["attempt": .int32(1)], deliveryMode: 2, messageID: "id-1", timestamp: 1_700_000_000,
        type: "payment.created")

    private var phases: [Phase] {
        let ready = AMQPChannelReference(number: 1, serial: 1)
        let message = AMQPOutboundMessage(exchange: "ex", routingKey: "nowhere", mandatory: true, message: AMQPMessage(body: ByteBuffer(string: "p")))
        return [
            Phase(
                client: { _ in },
                broker: [method(serverStart), method(.connection(.tune(channelMax: 0, frameMax: 4096, heartbeat: 10))), method(.connection(.openOK))]),
            Phase(client: { _ = $0.openChannel(context: 1) }, broker: [method(.channel(.openOK), channel: 1)]),
            Phase(
                client: { machine in
                    _ = machine.request(.confirm(.select()), on: ready, context: 2)
                    _ = machine.request(.basic(.consume(queue: "q", consumerTag: "c")), on: ready, context: 3)
                    _ = machine.publish(message, on: ready, context: 4)
                    _ = machine.publish(message, on: ready, context: 5)
                },
                broker: [
                    method(.confirm(.selectOK), channel: 1),
                    method(.basic(.consumeOK(consumerTag: "c")), channel: 1),
                    .heartbeat,
                ]
                    + deliveryFrames(
                        channel: 1, tag: "c", deliveryTag: 1, body: String(repeating: "x", count: 5000), chunks: 2, properties: Self.properties)
                    + deliveryFrames(channel: 1, tag: "c", deliveryTag: 2, body: "", properties: Self.properties) + [
                        method(.basic(.returned(replyCode: 312, replyText: "NO_ROUTE", exchange: "ex", routingKey: "nowhere")), channel: 1),
                        AMQPFrame(channel: 1, payload: .header(AMQPContentHeader(bodySize: 1))),
                        AMQPFrame(channel: 1, payload: .body(ByteBuffer(string: "p"))),
                        method(.basic(.ack(deliveryTag: 2, multiple: true)), channel: 1),
                        method(.connection(.blocked(reason: "memory"))),
                        method(.connection(.unblocked)),
                        method(
                            .channel(.close(replyCode: 406, replyText: "PRECONDITION_FAILED - unknown delivery tag 9", classID: 60, methodID: 80)),
                            channel: 1),
                        method(.connection(.close(replyCode: 320, replyText: "CONNECTION_FORCED", classID: 0, methodID: 0))),
                    ]
            ),
        ]
    }

    private func feed(_ bytes: ByteBuffer, into machine: inout Machine, buffer: inout ByteBuffer, decoder: inout AMQPFrameDecoder) throws -> [Action]
    {
        var bytes = bytes
        buffer.writeBuffer(&bytes)
        var actions: [Action] = []
        while let frame = try decoder.decode(buffer: &buffer) {
            actions += machine.receive(frame)
            if case .tuned(let tuning) = actions.last { decoder.frameMax = tuning.frameMax }
        }
        return actions
    }

    @Test func actionsDoNotDependOnHowTheBytesAreCut() throws {
        var machine = Machine(settings: testSettings)
        _ = machine.start()
        var decoder = AMQPFrameDecoder()
        var allExpected: [Action] = []
        for phase in phases {
            phase.client(&machine)
            var wire = ByteBuffer()
            for frame in phase.broker { try frame.encode(into: &wire) }

            var reference = machine
            var referenceDecoder = decoder
            var buffer = ByteBuffer()
            let expected = try feed(wire, into: &reference, buffer: &buffer, decoder: &referenceDecoder)
            #expect(buffer.readableBytes == 0)
            for split in 1..<wire.readableBytes {
                var copy = machine
                var copyDecoder = decoder
                var buffer = ByteBuffer()
                var actions = try feed(wire.getSlice(at: 0, length: split)!, into: &copy, buffer: &buffer, decoder: &copyDecoder)
                actions += try feed(
                    wire.getSlice(at: split, length: wire.readableBytes - split)!, into: &copy, buffer: &buffer, decoder: &copyDecoder)
                #expect(actions == expected, "split at byte \(split)")
            }
            machine = reference
            decoder = referenceDecoder
            allExpected += expected
        }

        // The reference run itself did what the broker asked.
        let deliveries = allExpected.compactMap { action -> Int? in
            if case .deliver(1, "c", _, let message) = action { return message.body.readableBytes }
            return nil
        }
        #expect(deliveries == [5000, 0])
        // Two identical publishes, one returned: the older one takes the failure.
        #expect(allExpected.contains { if case .fail(4, let error) = $0 { error.code == .messageReturned } else { false } })
        #expect(allExpected.contains(.succeed(5, .done)))
        #expect(allExpected.contains(.blocked("memory")))
        #expect(allExpected.contains { if case .channelClosed(1, let error?) = $0 { error.replyCode == 406 } else { false } })
        #expect(allExpected.last.map { if case .closeSocket(let error?) = $0 { error.replyCode == 320 } else { false } } == true)
    }
}
