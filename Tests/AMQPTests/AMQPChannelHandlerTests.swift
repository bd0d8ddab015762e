import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import AMQP

@Suite struct AMQPChannelHandlerTests {
    private final class Events: Sendable {
        let connected = Mutex<Result<AMQPTuning, AMQPError>?>(nil)
        let blocked = Mutex<[String?]>([])
        let closed = Mutex<[AMQPError?]>([])

        var callbacks: AMQPConnectionCallbacks {
            AMQPConnectionCallbacks(
                connected: { result in self.connected.withLock { $0 = result.map(\.0) } },
                blocked: { reason in self.blocked.withLock { $0.append(reason) } },
                closed: { reason in self.closed.withLock { $0.append(reason) } }
            )
        }
    }

    private func frames(_ frames: AMQPFrame...) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        for frame in frames { try frame.encode(into: &buffer) }
        return buffer
    }

    private func readFrames(_ channel: NIOAsyncTestingChannel, count: Int) async throws -> [AMQPFrame] {
        var decoder = AMQPFrameDecoder(frameMax: 0)
        var pending = ByteBuffer()
        var result: [AMQPFrame] = []
        while result.count < count {
            var next = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
            pending.writeBuffer(&next)
            while let frame = try decoder.decode(buffer: &pending) { result.append(frame) }
        }
        return result
    }

    /// A channel whose handler has finished the handshake with heartbeat `heartbeat`.
    private func connectedChannel(events: Events, heartbeat: UInt16 = 0) async throws -> NIOAsyncTestingChannel {
        let channel = NIOAsyncTestingChannel()
        var settings = testSettings
        settings.tuning.heartbeat = heartbeat
        let handlerSettings = AMQPConnectionStateMachine<AMQPChannelHandler.Pending>.Settings(
            username: settings.username, password: settings.password, virtualHost: settings.virtualHost, tuning: settings.tuning,
            clientProperties: settings.clientProperties)
        let callbacks = events.callbacks
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.addHandler(
                AMQPChannelHandler(settings: handlerSettings, handshakeTimeout: .seconds(10), callbacks: callbacks))
        }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5672))
        let header = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        #expect(header == ByteBuffer(bytes: AMQPProtocolHeader.bytes))
        try await channel.writeInbound(frames(method(serverStart)))
        _ = try await readFrames(channel, count: 1)
        try await channel.writeInbound(frames(method(.connection(.tune(channelMax: 0, frameMax: 131_072, heartbeat: heartbeat)))))
        _ = try await readFrames(channel, count: 2)
        try await channel.writeInbound(frames(method(.connection(.openOK))))
        return channel
    }

    private func request(_ operation: AMQPRequest.Operation, on channel: NIOAsyncTestingChannel) -> EventLoopFuture<AMQPResponse> {
        let promise = channel.eventLoop.makePromise(of: AMQPResponse.self)
        channel.writeAndFlush(AMQPRequest(operation: operation, promise: promise), promise: nil)
        return promise.futureResult
    }

    @Test func handshakeThenOpenChannelDeclareAndConsumeOverBytesSplitAnyhow() async throws {
        let events = Events()
        let channel = try await connectedChannel(events: events)
        #expect(events.connected.withLock { $0 } == .success(AMQPTuning(channelMax: 100, frameMax: 65_536, heartbeat: 0)))

        let opened = request(.openChannel(onClose: { _ in }), on: channel)
        #expect(try await readFrames(channel, count: 1) == [method(.channel(.open), channel: 1)])
        try await channel.writeInbound(frames(method(.channel(.openOK), channel: 1)))
        guard case .channelOpened(let reference) = try await opened.get() else {
            Issue.record("channel not opened")
            return
        }

        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let sink = AMQPConsumerSink(
            deliver: { _, message in continuation.yield(String(buffer: message.body)) }, finish: { _ in continuation.finish() })
        let consumed = request(.consume(.basic(.consume(queue: "q", consumerTag: "c")), reference, sink), on: channel)
        _ = try await readFrames(channel, count: 1)
        // consume-ok and a delivery in one read, the delivery's body cut in the middle of a frame.
        var wire = try frames(method(.basic(.consumeOK(consumerTag: "c")), channel: 1))
        var delivery = ByteBuffer()
        for frame in deliveryFrames(channel: 1, tag: "c", deliveryTag: 1, body: "hello", chunks: 2) { try frame.encode(into: &delivery) }
        let cut = wire.readableBytes + delivery.readableBytes - 3
        wire.writeBuffer(&delivery)
        try await channel.writeInbound(wire.getSlice(at: 0, length: cut)!)
        try await channel.writeInbound(wire.getSlice(at: cut, length: wire.readableBytes - cut)!)
        #expect(try await consumed.get() == .method(.basic(.consumeOK(consumerTag: "c"))))
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == "hello")
        _ = try await channel.finish()
    }

    @Test func brokerCloseFailsRequestsAndReportsTheReason() async throws {
        let events = Events()
        let channel = try await connectedChannel(events: events)
        let opened = request(.openChannel(onClose: { _ in }), on: channel)
        _ = try await readFrames(channel, count: 1)
        try await channel.writeInbound(frames(method(.connection(.close(replyCode: 320, replyText: "CONNECTION_FORCED", classID: 0, methodID: 0)))))
        #expect(try await readFrames(channel, count: 1) == [method(.connection(.closeOK))])
        await #expect { try await opened.get() } throws: { ($0 as? AMQPError)?.replyCode == 320 }
        #expect(!channel.isActive)
        #expect(events.closed.withLock { $0.first??.replyCode } == 320)
    }

    @Test func blockedAndUnblockedAreReported() async throws {
        let events = Events()
        let channel = try await connectedChannel(events: events)
        try await channel.writeInbound(frames(method(.connection(.blocked(reason: "low on memory"))), method(.connection(.unblocked))))
        #expect(events.blocked.withLock { $0 } == ["low on memory", nil])
        _ = try await channel.finish()
    }

    @Test func heartbeatsAreSentWhenIdleAndASilentBrokerIsDeclaredDead() async throws {
        let events = Events()
        let channel = try await connectedChannel(events: events, heartbeat: 10)
        // Ticks every 5 s: the handshake's traffic counts for the first, then a whole idle interval.
        await channel.testingEventLoop.advanceTime(by: .seconds(15))
        #expect(try await readFrames(channel, count: 1) == [.heartbeat])
        #expect(channel.isActive)
        await channel.testingEventLoop.advanceTime(by: .seconds(10))
        #expect(!channel.isActive)
        #expect(events.closed.withLock { $0.first??.code } == .heartbeatTimeout)
    }

    @Test func aNameTooLongFailsOnlyItsRequest() async throws {
        let events = Events()
        let channel = try await connectedChannel(events: events)
        let opened = request(.openChannel(onClose: { _ in }), on: channel)
        _ = try await readFrames(channel, count: 1)
        try await channel.writeInbound(frames(method(.channel(.openOK), channel: 1)))
        guard case .channelOpened(let reference) = try await opened.get() else { return }
        let declared = request(.method(.queue(.declare(queue: String(repeating: "q", count: 256))), reference), on: channel)
        await #expect { try await declared.get() } throws: { ($0 as? AMQPError)?.code == .invalidArgument }
        #expect(channel.isActive)
        _ = try await channel.finish()
    }

    @Test func garbageFromTheBrokerClosesWithAProtocolError() async throws {
        let events = Events()
        let channel = try await connectedChannel(events: events)
        _ = try? await channel.writeInbound(ByteBuffer(bytes: [9, 0, 0, 0, 0, 0, 0, 0xCE]))
        #expect(!channel.isActive)
        #expect(events.closed.withLock { $0.first??.code } == .protocolError)
    }

    @Test func gracefulCloseGivesUpOnABrokerThatNeverAnswers() async throws {
        let events = Events()
        let channel = try await connectedChannel(events: events)
        let closed = channel.eventLoop.makePromise(of: Void.self)
        channel.pipeline.triggerUserOutboundEvent(AMQPGracefulCloseEvent(), promise: closed)
        #expect(try await readFrames(channel, count: 1) == [method(.connection(.close(replyCode: 200, replyText: "OK", classID: 0, methodID: 0)))])
        #expect(channel.isActive)
        await channel.testingEventLoop.advanceTime(by: .seconds(10))
        try await closed.futureResult.get()
        #expect(!channel.isActive)
        #expect(events.closed.withLock { $0.first??.code } == .timeout)
    }

    @Test func gracefulCloseEndsOnCloseOKWithoutAnError() async throws {
        let events = Events()
        let channel = try await connectedChannel(events: events)
        let closed = channel.eventLoop.makePromise(of: Void.self)
        channel.pipeline.triggerUserOutboundEvent(AMQPGracefulCloseEvent(), promise: closed)
        _ = try await readFrames(channel, count: 1)
        try await channel.writeInbound(frames(method(.connection(.closeOK))))
        try await closed.futureResult.get()
        #expect(!channel.isActive)
        #expect(events.closed.withLock { $0 } == [nil])
    }
}
