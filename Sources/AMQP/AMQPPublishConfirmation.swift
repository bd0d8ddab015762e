import NIOCore

/// The pending confirms of a batch of publishes started with ``AMQPChannel/startPublishing(batch:)``.
public struct AMQPPublishConfirmation: Sendable {
    let answers: [EventLoopFuture<AMQPResponse>]

    /// How many messages the batch holds.
    public var count: Int { answers.count }

    /// Waits until the broker settled every message of the batch (in confirm mode: acked; otherwise: written); throws
    /// the first failure once all are settled (``AMQPError/Code/publishNacked``, ``AMQPError/Code/messageReturned``, or
    /// the connection's error). Messages of a failed batch may still have been taken: at-least-once callers retry all.
    public func settled() async throws {
        guard let eventLoop = answers.first?.eventLoop else { return }
        // One wait for the whole batch rather than one per message.
        let results = try await EventLoopFuture.whenAllComplete(answers, on: eventLoop).get()
        for result in results {
            if case .failure(let error) = result { throw error }
        }
    }
}
