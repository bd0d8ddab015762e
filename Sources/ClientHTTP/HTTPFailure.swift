import AsyncHTTPClient
import NIOCore
import NIOPosix

/// How a failed request to an outside HTTP API is told (payment providers, SMS gateways, push services, chats):
/// whether any byte of it left, so that a caller retries freely what was never sent and treats the rest as unknown.
public enum HTTPFailure {
    /// Whether `error` happened before the request was sent: connecting failed, or no connection of the pool came in
    /// time.
    public static func neverSent(_ error: any Error) -> Bool {
        if error is NIOConnectionError { return true }
        if let error = error as? HTTPClientError, error == .connectTimeout || error == .getConnectionFromPoolTimeout { return true }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        if let error = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) { return true }
        return false
    }
}
