import NIOCore
import NIOEmbedded
import Testing

@testable import RESP

@Suite struct RESPChannelHandlerTests {
    private func makeChannel(onPush: @escaping @Sendable (RESPValue) -> Void = { _ in }) async throws -> NIOAsyncTestingChannel {
        let channel = NIOAsyncTestingChannel()
        try await channel.pipeline.addHandler(RESPChannelHandler(onPush: onPush))
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379))
        return channel
    }

    private func request(_ command: [String], on channel: NIOAsyncTestingChannel, timeout: TimeAmount? = nil) -> EventLoopFuture<RESPValue> {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        channel.writeAndFlush(RESPRequest(command: command, promise: promise, timeout: timeout), promise: nil)
        return promise.futureResult
    }

    @Test func writesCommandsAndMatchesPipelinedReplies() async throws {
        let channel = try await makeChannel()
        let get = request(["GET", "k"], on: channel)
        let incr = request(["INCR", "n"], on: channel)
        let first = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        #expect(String(buffer: first) == "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
        let second = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        #expect(String(buffer: second) == "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n")
        // Both replies in one read, the second split across two reads.
        try await channel.writeInbound(ByteBuffer(string: "$1\r\nv\r\n:4"))
        try await channel.writeInbound(ByteBuffer(string: "2\r\n"))
        #expect(try await get.get() == .bulkString("v"))
        #expect(try await incr.get() == .integer(42))
        _ = try await channel.finish()
    }

    @Test func serverErrorsFailTheCommand() async throws {
        let channel = try await makeChannel()
        let future = request(["NOPE"], on: channel)
        _ = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        try await channel.writeInbound(ByteBuffer(string: "-ERR unknown command 'NOPE'\r\n"))
        await #expect(throws: RESPError(code: .serverError, message: "ERR unknown command 'NOPE'")) { try await future.get() }
        _ = try await channel.finish()
    }

    @Test func pushesGoToTheirCallback() async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: RESPValue.self)
        let channel = try await makeChannel { continuation.yield($0) }
        let future = request(["PING"], on: channel)
        try await channel.writeInbound(ByteBuffer(string: ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n+PONG\r\n"))
        #expect(try await future.get() == .simpleString("PONG"))
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == .push([.bulkString("invalidate"), .array([.bulkString("k")])]))
        _ = try await channel.finish()
    }

    @Test func connectionLossFailsPendingCommands() async throws {
        let channel = try await makeChannel()
        let first = request(["GET", "a"], on: channel)
        let second = request(["GET", "b"], on: channel)
        try await channel.close()
        for future in [first, second] {
            await #expect { try await future.get() } throws: { ($0 as? RESPError)?.code == .connectionLost }
        }
    }

    @Test func malformedReplyClosesTheConnectionWithAProtocolError() async throws {
        let channel = try await makeChannel()
        let future = request(["GET", "a"], on: channel)
        try? await channel.writeInbound(ByteBuffer(string: "&oops\r\n"))
        await #expect { try await future.get() } throws: { ($0 as? RESPError)?.code == .protocolError }
        #expect(!channel.isActive)
    }

    @Test func timeoutFailsTheCommandAndDropsItsLateReply() async throws {
        let channel = try await makeChannel()
        let slow = request(["BLPOP", "q", "0"], on: channel, timeout: .seconds(1))
        let next = request(["PING"], on: channel)
        await channel.testingEventLoop.advanceTime(by: .seconds(2))
        await #expect { try await slow.get() } throws: { ($0 as? RESPError)?.code == .timeout }
        try await channel.writeInbound(ByteBuffer(string: "*-1\r\n+PONG\r\n"))
        #expect(try await next.get() == .simpleString("PONG"))
        _ = try await channel.finish()
    }

    @Test func gracefulCloseAnswersInFlightCommandsFirst() async throws {
        let channel = try await makeChannel()
        let pending = request(["GET", "a"], on: channel)
        let closed = channel.eventLoop.makePromise(of: Void.self)
        channel.triggerUserOutboundEvent(RESPGracefulCloseEvent(), promise: closed)
        let refused = request(["GET", "b"], on: channel)
        await #expect { try await refused.get() } throws: { ($0 as? RESPError)?.code == .connectionClosed }
        #expect(channel.isActive)
        try await channel.writeInbound(ByteBuffer(string: "$1\r\nx\r\n"))
        #expect(try await pending.get() == .bulkString("x"))
        try await closed.futureResult.get()
        #expect(!channel.isActive)
    }

    @Test func typedPipelineIsOneWriteAndKeepsPerCommandErrors() async throws {
        let channel = try await makeChannel()
        let connection = RESPConnection.wrapping(channel, commandTimeout: nil)
        async let results = connection.pipeline([.set("a", to: "1"), .incr("a"), .get("a"), RESPCommand("NOPE")])
        let written = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        #expect(
            String(buffer: written)
                == "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n*1\r\n$4\r\nNOPE\r\n")
        try await channel.writeInbound(ByteBuffer(string: "+OK\r\n:2\r\n$1\r"))
        try await channel.writeInbound(ByteBuffer(string: "\n2\r\n-ERR unknown command\r\n"))
        let replies = try await results
        #expect(replies.count == 4)
        #expect(try replies[0].get() == .simpleString("OK"))
        #expect(try replies[1].get() == .integer(2))
        #expect(try replies[2].get() == .bulkString("2"))
        guard case .failure(let error) = replies[3] else { Issue.record("NOPE should fail"); return }
        #expect(error.serverErrorPrefix == "ERR")
        #expect(try await connection.pipeline([RESPCommand]()).isEmpty)
        _ = try await channel.finish()
    }

    @Test func losingTheConnectionFailsTheRestOfATypedPipeline() async throws {
        let channel = try await makeChannel()
        let connection = RESPConnection.wrapping(channel, commandTimeout: nil)
        async let results = connection.pipeline([.get("a"), .get("b"), .get("c")])
        _ = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        try await channel.writeInbound(ByteBuffer(string: "$1\r\nx\r\n"))
        channel.pipeline.fireChannelInactive()
        let replies = try await results
        #expect(try replies[0].get() == .bulkString("x"))
        #expect(replies[1...].allSatisfy { if case .failure(let error) = $0 { error.code == .connectionLost } else { false } })
        _ = try? await channel.finish()
    }

    @Test func typedSendGoesThroughTheHandler() async throws {
        let channel = try await makeChannel()
        let connection = RESPConnection.wrapping(channel, commandTimeout: nil)
        async let reply = connection.send(.get("k"))
        let written = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        #expect(String(buffer: written) == "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
        try await channel.writeInbound(ByteBuffer(string: "$-1\r\n"))
        #expect(try await reply == .bulkString(nil))
        _ = try await channel.finish()
    }

    @Test func connectionSendsThroughTheHandler() async throws {
        let channel = try await makeChannel()
        let connection = RESPConnection.wrapping(channel, commandTimeout: nil)
        async let reply = connection.set("k", to: "v", expiration: .seconds(10), condition: .ifNotExists)
        let written = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        #expect(String(buffer: written) == "*6\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$2\r\nEX\r\n$2\r\n10\r\n$2\r\nNX\r\n")
        try await channel.writeInbound(ByteBuffer(string: "_\r\n"))
        #expect(try await reply == false)
        _ = try await channel.finish()
    }
}
