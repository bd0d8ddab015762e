import ClientTLS
import NIOCore

/// ``TLSHandshakeHandler`` with this module's errors: `connectionLost` when the connection closes during the
/// handshake, `timeout` when it takes longer than `timeout`.
final class RESPTLSHandshakeHandler: TLSHandshakeHandler {
    init(promise: EventLoopPromise<Void>, timeout: Duration) {
        super.init(
            promise: promise, timeout: timeout,
            closed: { RESPError(code: .connectionLost, message: "the connection closed during the handshake") },
            timedOut: { RESPError(code: .timeout, message: "no answer within \($0)") })
    }
}
