import NIOCore

/// Sits between TLS and HTTP/2 and turns the flushes of one event-loop tick into one. Every push flushes its stream's
/// frames through NIOHTTP2 at once (which then sends them in order; flushed together, its flow-control buffer would
/// send the streams' `DATA` in hash order, and the server would answer them out of order); below NIOHTTP2 those flushes
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
