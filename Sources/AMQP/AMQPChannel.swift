import NIOCore
import Synchronization

/// A channel on an ``AMQPConnection``: declares topology, publishes, consumes and acknowledges.
///
/// Safe to use from several tasks; synchronous requests are answered in the order they were sent. When the broker
/// closes the channel (for example a passive declare of a missing queue: 404), the request fails with
/// ``AMQPError/Code/channelClosed`` and so does everything later on this channel; other channels are not affected.
public final class AMQPChannel: Sendable {
    /// Whether the channel is open, and why it closed; filled in by the handler.
    final class Status: Sendable {
        private let state = Mutex<(closed: Bool, error: AMQPError?)>((false, nil))

        func markClosed(_ error: AMQPError?) { state.withLock { $0 = (true, $0.error ?? error) } }
        var isClosed: Bool { state.withLock { $0.closed } }
        var error: AMQPError? { state.withLock { $0.error } }
    }

    let reference: AMQPChannelReference
    /// The connection the channel lives on.
    public let connection: AMQPConnection
    private let status: Status

    init(reference: AMQPChannelReference, connection: AMQPConnection, status: Status) {
        self.reference = reference
        self.connection = connection
        self.status = status
    }

    /// The channel number on the wire.
    public var number: UInt16 { reference.number }

    /// Whether the channel is still open.
    public var isOpen: Bool { !status.isClosed && connection.isOpen }

    /// Why the broker closed the channel (or the connection under it), if it did.
    public var closeError: AMQPError? { status.error }

    /// Closes the channel with channel.close and waits for close-ok. Requests still waiting fail; consumers end.
    public func close() async throws {
        guard !status.isClosed else { return }
        _ = try await connection.send(.closeChannel(reference))
    }

    /// Sends a method and returns the broker's reply (or ``AMQPResponse/done`` for a method without one).
    @discardableResult
    func call(_ method: AMQPMethod) async throws -> AMQPResponse {
        try await connection.send(.method(method, reference))
    }

    /// Sends a method whose reply is a method, and returns it.
    func callForMethod(_ method: AMQPMethod) async throws -> AMQPMethod {
        let response = try await call(method)
        guard case .method(let reply) = response else { throw AMQPError.protocolError("unexpected answer \(response) to \(method)") }
        return reply
    }
}
