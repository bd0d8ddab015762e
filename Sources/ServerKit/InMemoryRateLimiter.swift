import Foundation
import Kernel
import Synchronization

/// Token buckets in this process's memory, for one-process deployments and tests.
///
/// Buckets live in shards, each a dictionary under its own `Mutex`, so concurrent requests rarely wait on one
/// another. A bucket that has refilled completely is the same as no bucket, so such buckets are dropped as the
/// shard grows; if a flood of distinct keys still fills a shard, the least recently used half is dropped.
/// Memory therefore stays under `maxBucketsPerShard × shardCount` entries.
public final class InMemoryRateLimiter: RateLimiter {
    struct Bucket {
        var tokens: Double
        var updated: Date
        var capacity: Double
        var refillPerSecond: Double

        /// Tokens at `now`, refilled since the last update.
        func tokens(at now: Date) -> Double {
            let elapsed = max(0, now.timeIntervalSince(updated))
            return min(capacity, tokens + elapsed * refillPerSecond)
        }
    }

    /// A bucket's policy name and key, kept apart so no joined string is built per request.
    struct BucketKey: Hashable {
        var policy: String
        var key: String
    }

    struct Shard {
        var buckets: [BucketKey: Bucket] = [:]
    }

    /// One lock and its dictionary; a class because `Mutex` cannot be copied into an array.
    final class LockedShard: Sendable {
        let state = Mutex(Shard())
    }

    private let shards: [LockedShard]
    private let clock: any WallClock
    /// Buckets a shard holds before it prunes.
    public let maxBucketsPerShard: Int

    /// Creates a limiter reading time from `clock`.
    public init(clock: any WallClock = SystemClock(), shardCount: Int = 16, maxBucketsPerShard: Int = 10_000) {
        precondition(shardCount > 0 && maxBucketsPerShard > 1)
        self.clock = clock
        self.maxBucketsPerShard = maxBucketsPerShard
        self.shards = (0..<shardCount).map { _ in LockedShard() }
    }

    /// Takes a token from the bucket of `key` under `policy`.
    public func consume(key: String, policy: RateLimitPolicy) async throws -> RateLimitDecision {
        consumeNow(key: key, policy: policy)
    }

    /// The synchronous body of ``consume(key:policy:)``.
    public func consumeNow(key: String, policy: RateLimitPolicy) -> RateLimitDecision {
        let now = clock.now()
        let fullKey = BucketKey(policy: policy.name, key: key)
        let capacity = Double(policy.capacity)
        let rate = policy.refillPerSecond
        let shard = shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
        return shard.state.withLock { shard in
            let countBefore = shard.buckets.count
            // One hash lookup: the bucket is changed in place (or created) through the defaulting subscript.
            let (allowed, tokens) = Self.take(
                from: &shard.buckets[fullKey, default: Bucket(tokens: capacity, updated: now, capacity: capacity, refillPerSecond: rate)],
                capacity: capacity, rate: rate, now: now)
            if shard.buckets.count > countBefore, shard.buckets.count > maxBucketsPerShard {
                Self.prune(&shard, now: now, keep: fullKey, limit: maxBucketsPerShard)
            }
            let resetSeconds = Self.wholeSeconds((capacity - tokens) / rate)
            let retryAfter = allowed ? nil : max(1, Self.wholeSeconds((1 - tokens) / rate))
            return RateLimitDecision(
                allowed: allowed, limit: policy.capacity, remaining: Int(tokens.rounded(.down)), resetSeconds: resetSeconds,
                retryAfter: retryAfter, windowSeconds: policy.windowSeconds)
        }
    }

    /// Refills `bucket` to `now` and takes a token if there is one; returns whether it did and the tokens left.
    private static func take(from bucket: inout Bucket, capacity: Double, rate: Double, now: Date) -> (allowed: Bool, tokens: Double) {
        // A changed policy applies at once.
        bucket.capacity = capacity
        bucket.refillPerSecond = rate
        var tokens = bucket.tokens(at: now)
        let allowed = tokens >= 1
        if allowed { tokens -= 1 }
        bucket.tokens = tokens
        bucket.updated = now
        return (allowed, tokens)
    }

    /// Drops every bucket that has refilled completely; returns how many buckets remain.
    @discardableResult
    public func prune() -> Int {
        let now = clock.now()
        var remaining = 0
        for shard in shards {
            remaining += shard.state.withLock { shard in
                shard.buckets = shard.buckets.filter { $0.value.tokens(at: now) < $0.value.capacity }
                return shard.buckets.count
            }
        }
        return remaining
    }

    /// How many buckets are held now.
    public var bucketCount: Int {
        shards.reduce(0) { sum, shard in sum + shard.state.withLock { $0.buckets.count } }
    }

    /// Seconds rounded up, ignoring floating-point dust (30.000000000000004 is 30).
    static func wholeSeconds(_ seconds: Double) -> Int {
        max(0, Int((seconds - 1e-9).rounded(.up)))
    }

    static func prune(_ shard: inout Shard, now: Date, keep: BucketKey, limit: Int) {
        shard.buckets = shard.buckets.filter { $0.key == keep || $0.value.tokens(at: now) < $0.value.capacity }
        guard shard.buckets.count > limit / 2 else { return }
        // Still crowded with active keys: forget the least recently used half.
        let byAge = shard.buckets.filter { $0.key != keep }.sorted { $0.value.updated < $1.value.updated }
        for (key, _) in byAge.prefix(shard.buckets.count - limit / 2) {
            shard.buckets[key] = nil
        }
    }
}
