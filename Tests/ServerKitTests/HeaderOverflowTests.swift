import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServerKit
import Testing

/// Sends raw bytes over TCP and returns everything the server sends back until it closes.
enum RawHTTPClient {
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received = NIOLockedValueBox(ByteBuffer())
        let done: EventLoopPromise<ByteBuffer>

        init(done: EventLoopPromise<ByteBuffer>) { self.done = done }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            _ = received.withLockedValue { $0.writeBuffer(&buffer) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            done.succeed(received.withLockedValue { $0 })
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            // A reset after the answer arrived still leaves the answer in `received`.
            context.close(promise: nil)
        }
    }

    static func exchange(port: Int, request: ByteBuffer) async throws -> String {
        let group = MultiThreadedEventLoopGroup.singleton
        let done = group.next().makePromise(of: ByteBuffer.self)
        let collector = Collector(done: done)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) } }
            .connect(host: "127.0.0.1", port: port).get()
        channel.writeAndFlush(request, promise: nil)
        let bytes = try await done.futureResult.get()
        return String(buffer: bytes)
    }
}

@Suite struct HeaderOverflowTests {
    let server = TestServer(rateLimits: unlimited) { router in
        router.get("/hello", access: .anonymous, class: .api) { _, _ -> String in "hello" }
    }

    static func request(headerBytes: Int) -> ByteBuffer {
        var buffer = ByteBuffer(string: "GET /hello HTTP/1.1\r\nHost: localhost\r\nX-Huge: ")
        buffer.writeRepeatingByte(UInt8(ascii: "a"), count: headerBytes)
        buffer.writeString("\r\nConnection: close\r\n\r\n")
        return buffer
    }

    @Test(arguments: [10 * 1024 * 1024, 100 * 1024])
    func hugeHeaderIs431ProblemJSON(size: Int) async throws {
        try await server.application().test(.live) { client in
            let port = try #require(client.port)
            let answer = try await RawHTTPClient.exchange(port: port, request: Self.request(headerBytes: size))
            #expect(answer.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
            #expect(answer.lowercased().contains("content-type: application/problem+json"))
            #expect(answer.lowercased().contains("connection: close"))
            #expect(answer.contains(#""code":"headers-too-large""#))
            #expect(answer.contains(#""status":431"#))
        }
    }

    @Test func normalRequestsStillWork() async throws {
        try await server.application().test(.live) { client in
            let port = try #require(client.port)
            let answer = try await RawHTTPClient.exchange(port: port, request: Self.request(headerBytes: 1000))
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(answer.hasSuffix("hello"))
        }
    }

    @Test func overflowAfterAKeptAliveRequestIsAnsweredInOrder() async throws {
        try await server.application().test(.live) { client in
            let port = try #require(client.port)
            var both = ByteBuffer(string: "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
            var second = Self.request(headerBytes: 200 * 1024)
            both.writeBuffer(&second)
            let answer = try await RawHTTPClient.exchange(port: port, request: both)
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
            let parts = answer.components(separatedBy: "HTTP/1.1 ")
            #expect(parts.count == 3)
            #expect(parts.last?.hasPrefix("431 ") == true)
        }
    }
}
