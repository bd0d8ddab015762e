import NIOCore

extension Channel {
    /// Sends `event` down the pipeline (the protocol handler's "close once pending answers are in") and waits until
    /// the channel has closed: how a protocol client's connection closes gracefully.
    public func closeGracefully(with event: some Sendable) async {
        let promise = eventLoop.makePromise(of: Void.self)
        triggerUserOutboundEvent(event, promise: promise)
        try? await promise.futureResult.get()
        try? await closeFuture.get()
    }
}
