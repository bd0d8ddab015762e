import NIOCore
import NIOSSL
import NIOTLS

/// Sits behind NIOSSL's handler until the TLS handshake ends, so that connecting reports a failed handshake at once
/// instead of on the first command: succeeds `promise` when the handshake completes (and then leaves the pipeline),
/// fails it with NIOSSL's error when it fails, and closes the connection when it takes longer than `timeout`.
final class AMQPTLSHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<Void>
    private let timeout: Duration
    private var timer: Scheduled<Void>?
    private var finished = false

    init(promise: EventLoopPromise<Void>, timeout: Duration) {
        self.promise = promise
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startTimer(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startTimer(context: context)
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        context.fireUserInboundEventTriggered(event)
        if case .handshakeCompleted = event as? TLSUserEvent {
            finish(.success(()))
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(AMQPError(code: .connectionLost, message: "the connection closed during the handshake")))
        context.fireChannelInactive()
    }

    private func startTimer(context: ChannelHandlerContext) {
        guard timer == nil, !finished else { return }
        let timeout = timeout
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
            finish(.failure(AMQPError(code: .timeout, message: "no answer within \(timeout)")))
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
