/// Decides whether one more request under a key may go ahead. Async so a Redis-backed limiter can share the
/// buckets between replicas; ``InMemoryRateLimiter`` serves one process.
public protocol RateLimiter: Sendable {
    /// Takes one token from the bucket of `key` under `policy`, if there is one.
    func consume(key: String, policy: RateLimitPolicy) async throws -> RateLimitDecision
}

/// A token bucket: up to `capacity` requests at once, refilled at `refillPerSecond`.
public struct RateLimitPolicy: Sendable, Hashable {
    /// Names the policy in keys, headers and logs (`credentials`, `api`, `global`).
    public var name: String
    /// The burst: how many requests a full bucket allows at once.
    public var capacity: Int
    /// Tokens added back per second.
    public var refillPerSecond: Double

    /// Creates a policy from a burst and a refill rate.
    public init(name: String, capacity: Int, refillPerSecond: Double) {
        precondition(capacity > 0 && refillPerSecond > 0, "a rate-limit policy needs a positive capacity and refill rate")
        self.name = name
        self.capacity = capacity
        self.refillPerSecond = refillPerSecond
    }

    /// `limit` requests per `window` seconds, with a burst of `burst` (the limit itself by default).
    public static func perWindow(name: String, limit: Int, seconds window: Double, burst: Int? = nil) -> RateLimitPolicy {
        RateLimitPolicy(name: name, capacity: burst ?? limit, refillPerSecond: Double(limit) / window)
    }

    /// The window the headers announce: seconds for a full bucket to refill from empty.
    public var windowSeconds: Int {
        max(1, Int((Double(capacity) / refillPerSecond).rounded(.up)))
    }
}

/// The answer of a ``RateLimiter``.
public struct RateLimitDecision: Sendable, Hashable {
    /// Whether the request may go ahead.
    public var allowed: Bool
    /// The policy's capacity (`RateLimit-Limit`).
    public var limit: Int
    /// Whole tokens left after this request (`RateLimit-Remaining`).
    public var remaining: Int
    /// Seconds until the bucket is full again (`RateLimit-Reset`).
    public var resetSeconds: Int
    /// When refused: seconds until a token is available (`Retry-After`).
    public var retryAfter: Int?
    /// The policy's window in seconds, for `RateLimit-Policy`.
    public var windowSeconds: Int

    /// Creates a decision.
    public init(allowed: Bool, limit: Int, remaining: Int, resetSeconds: Int, retryAfter: Int?, windowSeconds: Int) {
        self.allowed = allowed
        self.limit = limit
        self.remaining = remaining
        self.resetSeconds = resetSeconds
        self.retryAfter = retryAfter
        self.windowSeconds = windowSeconds
    }
}
