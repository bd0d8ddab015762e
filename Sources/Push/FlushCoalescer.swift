import NIOCore

/// Sits between TLS and HTTP/2 and turns the flushes of one event-loop tick into one. Every push opens its own stream
/// and flushes it; NIOHTTP2 coalesces those flushes only while it is reading, so pushes started from callers' tasks
/// would each cost a TLS record and a `write` system call. Writes pass through at once; the flush follows once the
/// tick's other work has run.
final class FlushCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var flushPending = false

    func flush(context: ChannelHandlerContext) {
        guard !flushPending else { return }
        flushPending = true
        context.eventLoop.assumeIsolated().execute {
            self.flushPending = false
            context.flush()
        }
    }
}
