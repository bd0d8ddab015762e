import Logging
import PostgresNIO

extension PostgresDatabase {
    /// Holds one pooled connection in `LISTEN channel` and hands each notification's payload to `onNotification`,
    /// until the connection fails or the task is cancelled.
    ///
    /// `onListening` runs once the server has confirmed the `LISTEN`: every notification committed after that
    /// moment reaches `onNotification`. While listening, the connection runs `SELECT 1` every `healthCheck`; a
    /// check that fails or takes longer than `healthCheck` ends the call with an error, so a silently broken
    /// connection is noticed within about twice that time. The call never returns normally except on cancellation.
    public func listen(
        on channel: String, healthCheck: Duration = .seconds(5), onListening: @Sendable () -> Void,
        onNotification: @escaping @Sendable (String) -> Void
    ) async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: channel) { notifications in
                onListening()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await notification in notifications { onNotification(notification.payload) }
                        throw ListenEnded(channel: channel)
                    }
                    group.addTask { try await Self.checkHealth(of: connection, every: healthCheck, logger: self.logger) }
                    // Either child ends only by failing (or on cancellation): the first failure ends the listening.
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    private static func checkHealth(of connection: PostgresConnection, every interval: Duration, logger: Logger) async throws {
        while true {
            try await Task.sleep(for: interval)
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    _ = try await connection.query("SELECT 1", logger: logger).collect()
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: interval)
                    return false
                }
                let answered = try await group.next() ?? false
                group.cancelAll()
                guard answered else {
                    // Closing the connection fails the unanswered query, so its task ends and the group can finish.
                    try? await connection.close()
                    throw ListenEnded(channel: nil)
                }
            }
        }
    }
}

/// The listening connection stopped delivering: its notification stream ended, or a health check went unanswered.
public struct ListenEnded: Error, CustomStringConvertible {
    /// The channel whose stream ended, or nil when a health check timed out.
    public let channel: String?

    /// Says which of the two happened.
    public var description: String {
        channel.map { "the notification stream of \($0) ended" } ?? "the listening connection did not answer a health check in time"
    }
}
