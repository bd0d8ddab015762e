import Contracts
import HTTPTypes
import Storage

// Here, not in Storage: storage knows nothing of HTTP, and every process is put together in this module.
extension StorageError: ProblemConvertible {
    /// A transaction that lost to a concurrent one (a deadlock with a set-based job, say) kept nothing: `503` with
    /// `Retry-After`, so the client sends the same request again. An unreachable database is `503` too. The other
    /// cases are bugs.
    public var problem: Problem? {
        switch self {
        case .serializationFailure:
            Problem(
                .serviceUnavailable, code: "busy", title: "Busy, try again",
                detail: "The request met a concurrent change and was not applied; send it again", headers: [.retryAfter: "1"])
        case .unavailable:
            Problem(.serviceUnavailable, code: "database-unavailable", title: "Database unavailable", headers: [.retryAfter: "5"])
        case .uniqueViolation, .decoding, .invalidURL, .writeInsideTransaction, .callInsideTransaction:
            nil
        }
    }
}
