import NIOCore
import NIOSSL
import NIOTLS

/// Sits behind NIOSSL's handler until the TLS handshake ends, so that connecting reports a failed handshake at once
/// instead of on the first command: succeeds `promise` when the handshake completes (and then leaves the pipeline),
/// fails it with NIOSSL's error when it fails, and closes the connection when it takes longer than `timeout`. A client
/// subclasses it to give the two failures of its own (`closed`, `timedOut`) in its own error type.
open class TLSHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    /// Bytes, passed on untouched.
    public typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<Void>
    private let timeout: Duration
    private let closed: @Sendable () -> any Error
    private let timedOut: @Sendable (Duration) -> any Error
    private var timer: Scheduled<Void>?
    private var finished = false

    /// Reports to `promise`; `closed` is the error when the connection closes first, `timedOut` when time runs out.
    public init(
        promise: EventLoopPromise<Void>, timeout: Duration, closed: @escaping @Sendable () -> any Error,
        timedOut: @escaping @Sendable (Duration) -> any Error
    ) {
        self.promise = promise
        self.timeout = timeout
        self.closed = closed
        self.timedOut = timedOut
    }

    /// Starts the clock when added to a connected channel.
    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startTimer(context: context) }
    }

    /// Starts the clock.
    public func channelActive(context: ChannelHandlerContext) {
        startTimer(context: context)
        context.fireChannelActive()
    }

    /// Succeeds when the handshake completes, then leaves the pipeline.
    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        context.fireUserInboundEventTriggered(event)
        if case .handshakeCompleted = event as? TLSUserEvent {
            finish(.success(()))
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    /// Fails with the error, passed on too.
    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.fireErrorCaught(error)
    }

    /// Fails with `closed`.
    public func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(closed()))
        context.fireChannelInactive()
    }

    private func startTimer(context: ChannelHandlerContext) {
        guard timer == nil, !finished else { return }
        let timeout = timeout
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
            finish(.failure(timedOut(timeout)))
            context.close(promise: nil)
        }
    }

    private func finish(_ result: Result<Void, any Error>) {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        timer = nil
        promise.completeWith(result)
    }
}
