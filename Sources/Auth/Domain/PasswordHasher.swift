import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's blocking thread pool so a 250 ms hash never stalls the event loops or the async executor.
public struct PasswordHasher: Sendable {
    /// The bcrypt cost factor.
    public let cost: UInt8
    private let pool: NIOThreadPool

    /// Creates a hasher.
    public init(cost: UInt8, pool: NIOThreadPool = .singleton) {
        self.cost = cost
        self.pool = pool
    }

    /// Hashes a password.
    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await pool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a password against a stored hash.
    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await pool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
