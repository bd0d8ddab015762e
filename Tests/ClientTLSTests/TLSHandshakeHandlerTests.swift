import ClientTLS
import NIOCore
import NIOEmbedded
import Testing

/// The shared handshake handler without TLS: its failure and timeout paths, with the errors its owner gives it.
@Suite struct TLSHandshakeHandlerTests {
    private struct Closed: Error {}
    private struct TimedOut: Error { let after: Duration }
    private struct Refused: Error {}

    private func makeChannel(timeout: Duration = .seconds(5)) async throws -> (NIOAsyncTestingChannel, EventLoopFuture<Void>) {
        let channel = NIOAsyncTestingChannel()
        let promise = channel.eventLoop.makePromise(of: Void.self)
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.addHandler(
                TLSHandshakeHandler(promise: promise, timeout: timeout, closed: { Closed() }, timedOut: { TimedOut(after: $0) }))
        }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443))
        return (channel, promise.futureResult)
    }

    @Test func anErrorFailsTheHandshakeWithIt() async throws {
        let (channel, handshake) = try await makeChannel()
        channel.pipeline.fireErrorCaught(Refused())
        await #expect(throws: Refused.self) { try await handshake.get() }
        _ = try? await channel.finish()
    }

    @Test func aClosedConnectionGivesTheOwnersError() async throws {
        let (channel, handshake) = try await makeChannel()
        try await channel.close()
        await #expect(throws: Closed.self) { try await handshake.get() }
    }

    @Test func aSilentServerTimesOutWithTheOwnersErrorAndIsClosed() async throws {
        let (channel, handshake) = try await makeChannel(timeout: .seconds(2))
        await channel.testingEventLoop.advanceTime(by: .seconds(2))
        await #expect { try await handshake.get() } throws: { ($0 as? TimedOut)?.after == .seconds(2) }
        try await channel.closeFuture.get()
    }
}
