/// Anything that can run a Redis command: a single ``RESPConnection`` or a pooled ``RESPClient``. The typed commands extend it.
public protocol RESPCommandExecutor: Sendable {
    /// Sends one command (name and arguments) and returns its reply; error replies throw a ``RESPError`` with code `serverError`.
    func send(_ command: [String]) async throws -> RESPValue
}
