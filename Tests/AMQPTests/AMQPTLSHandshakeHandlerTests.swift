import NIOCore
import NIOEmbedded
import Testing

@testable import AMQP

/// The handler that reports how the TLS handshake ended, without TLS: its failure and timeout paths.
@Suite struct AMQPTLSHandshakeHandlerTests {
    private struct Refused: Error {}

    private func makeChannel(timeout: Duration = .seconds(5)) async throws -> (NIOAsyncTestingChannel, EventLoopFuture<Void>) {
        let channel = NIOAsyncTestingChannel()
        let promise = channel.eventLoop.makePromise(of: Void.self)
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.addHandler(AMQPTLSHandshakeHandler(promise: promise, timeout: timeout))
        }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5671))
        return (channel, promise.futureResult)
    }

    @Test func anErrorBeforeTheHandshakeEndsFailsItWithThatError() async throws {
        let (channel, handshake) = try await makeChannel()
        channel.pipeline.fireErrorCaught(Refused())
        await #expect(throws: Refused.self) { try await handshake.get() }
        _ = try? await channel.finish()
    }

    @Test func aClosedConnectionFailsTheHandshake() async throws {
        let (channel, handshake) = try await makeChannel()
        try await channel.close()
        await #expect { try await handshake.get() } throws: { ($0 as? AMQPError)?.code == .connectionLost }
    }

    @Test func aSilentServerTimesOutAndTheConnectionCloses() async throws {
        let (channel, handshake) = try await makeChannel(timeout: .seconds(2))
        await channel.testingEventLoop.advanceTime(by: .seconds(1))
        #expect(channel.isActive)
        await channel.testingEventLoop.advanceTime(by: .seconds(1))
        await #expect { try await handshake.get() } throws: { ($0 as? AMQPError)?.code == .timeout }
        try await channel.closeFuture.get()
        let error = AMQPError.tlsHandshakeFailed(
            AMQPError(code: .timeout, message: "no answer within 2.0 seconds"), host: "h", port: 1, serverName: nil)
        #expect(error == AMQPError(code: .timeout, message: "TLS handshake with h:1 failed: no answer within 2.0 seconds"))
    }
}
