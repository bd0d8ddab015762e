import NIOCore
import NIOHTTP2

/// Admits a connection's requests to HTTP/2 streams no faster than the server's `SETTINGS_MAX_CONCURRENT_STREAMS`
/// allows, queueing the rest in order. A request still queued has not reached NIOHTTP2 at all, so one whose deadline
/// passes there, or that is still queued when the connection closes or the server sends `GOAWAY`, was never sent.
///
/// Lives on the connection's event loop: every method is called there.
final class StreamGate: @unchecked Sendable {
    /// The limit assumed until the server's SETTINGS arrive (RFC 9113 advises servers at least 100).
    static let initialLimit = 100

    private let eventLoop: any EventLoop
    /// The deadlines of the connection's requests.
    let deadlines: DeadlineQueue
    private var multiplexer: NIOHTTP2Handler.StreamMultiplexer?
    private var limit = initialLimit
    private var open = 0
    private var waiting = CircularBuffer<HTTP2RequestHandler>()
    private var closedReason: String?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        deadlines = DeadlineQueue(eventLoop: eventLoop)
    }

    /// Set once the pipeline is built.
    func attach(_ multiplexer: NIOHTTP2Handler.StreamMultiplexer) {
        self.multiplexer = multiplexer
    }

    /// Opens a stream for `request` now, or when one closes.
    func submit(_ request: HTTP2RequestHandler) {
        eventLoop.preconditionInEventLoop()
        if let closedReason {
            request.notAdmitted(closedReason)
        } else if open < limit && waiting.isEmpty {
            admit(request)
        } else {
            waiting.append(request)
        }
    }

    /// A stream of this connection closed.
    func streamClosed() {
        open -= 1
        admitWaiting()
    }

    /// The server announced a new `SETTINGS_MAX_CONCURRENT_STREAMS`.
    func limitChanged(_ limit: Int) {
        self.limit = limit
        admitWaiting()
    }

    /// No new streams will open (`GOAWAY`, or the connection closed): the queued requests fail as never sent.
    func close(_ reason: String) {
        guard closedReason == nil else { return }
        closedReason = reason
        while let request = waiting.popFirst() { request.notAdmitted(reason) }
    }

    private func admitWaiting() {
        while open < limit, let request = waiting.popFirst() {
            if !request.isFinished { admit(request) }
        }
    }

    private func admit(_ request: HTTP2RequestHandler) {
        guard let multiplexer else {
            request.notAdmitted("the connection is not ready")
            return
        }
        open += 1
        request.admitted(gate: self)
        let opened = eventLoop.makePromise(of: (any Channel).self)
        opened.futureResult.whenFailure { error in request.streamNotOpened(error) }
        multiplexer.createStreamChannel(promise: opened) { stream in
            stream.eventLoop.makeCompletedFuture { try stream.pipeline.syncOperations.addHandler(request) }
        }
    }
}
