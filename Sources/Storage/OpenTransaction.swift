/// Whether the current task runs inside a database transaction, of any ``Database``.
///
/// Set by every database's `transaction`; code that calls the outside world (a payment provider, an SMTP server)
/// checks it, because a slow peer must never hold a connection and its locks (``requireNone(for:)``).
public enum OpenTransaction {
    @TaskLocal static var depth = 0

    /// Whether a transaction is open in this task or a task it started.
    public static var isOpen: Bool { depth > 0 }

    /// Throws ``StorageError/callInsideTransaction(_:)`` when a transaction is open; `call` names what was about to happen.
    public static func requireNone(for call: String) throws {
        if isOpen { throw StorageError.callInsideTransaction(call) }
    }

    /// Runs `body` marked as inside a transaction.
    static func marking<Result>(_ body: () async throws -> Result) async rethrows -> Result {
        try await $depth.withValue(depth + 1) { try await body() }
    }
}
