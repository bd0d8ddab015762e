/// Failures of the storage layer that callers act on; anything else is passed through.
public enum StorageError: Error, Sendable, Equatable {
    /// A unique constraint refused the row; `constraint` names it when the engine says.
    case uniqueViolation(constraint: String?)
    /// A column did not hold what the caller expected.
    case decoding(column: String, expected: String)
    /// The database URL cannot be used; `reason` says why.
    case invalidURL(reason: String)
    /// The database is closed or unreachable.
    case unavailable(reason: String)
    /// PostgreSQL refused the transaction because of a concurrent one (a serialization failure under repeatable
    /// read, or the loser of a deadlock); nothing of it was kept, and running it again may succeed.
    case serializationFailure
    /// A write or a transaction was sent to a SQLite database from inside one of its own transactions, which holds
    /// its only writer: use the executor that transaction gave (see ``Database``). A bug, never a user's error.
    case writeInsideTransaction
    /// A call to the outside world (`call` names it) was made while a database transaction was open in the same
    /// task (``OpenTransaction``). A bug, never a user's error.
    case callInsideTransaction(String)
}
