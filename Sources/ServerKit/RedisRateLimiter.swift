import Foundation
import RESP

/// Token buckets in Redis, so every gateway replica draws from one bucket per key. The refill and the take happen
/// in one Lua script on Redis's own clock: atomic, and immune to skew between the gateways' clocks.
///
/// When Redis cannot be reached `consume` throws; ``RouteSecurity`` then lets API requests through (fail open,
/// with a warning) and refuses credential routes with 503.
public struct RedisRateLimiter: RateLimiter {
    private let redis: any RESPCommandExecutor
    private let prefix: String

    /// Creates the limiter; keys start with `prefix`.
    public init(redis: any RESPCommandExecutor, prefix: String = "lastmile:ratelimit:") {
        self.redis = redis
        self.prefix = prefix
    }

    // KEYS[1] bucket; ARGV: capacity, refill per second. Returns {allowed, tokens left × 1000}.
    private static let script = RESPScript(
        """
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1])
        local at = tonumber(state[2])
        if tokens == nil or at == nil then
            tokens = capacity
            at = now
        end
        tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
        local allowed = 0
        if tokens >= 1 then
            tokens = tokens - 1
            allowed = 1
        end
        redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'at', now)
        redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
        return {allowed, math.floor(tokens * 1000)}
        """)

    /// Takes a token from the bucket of `key` under `policy`.
    public func consume(key: String, policy: RateLimitPolicy) async throws -> RateLimitDecision {
        let reply = try await redis.run(
            Self.script, keys: [prefix + policy.name + ":" + key], arguments: [String(policy.capacity), String(policy.refillPerSecond)])
        guard let values = reply.array, values.count == 2, let allowedFlag = values[0].int, let milliTokens = values[1].int else {
            throw RESPError(code: .protocolError, message: "unexpected rate-limit script reply")
        }
        let allowed = allowedFlag == 1
        let tokens = Double(milliTokens) / 1000
        let rate = policy.refillPerSecond
        return RateLimitDecision(
            allowed: allowed, limit: policy.capacity, remaining: Int(tokens.rounded(.down)),
            resetSeconds: InMemoryRateLimiter.wholeSeconds((Double(policy.capacity) - tokens) / rate),
            retryAfter: allowed ? nil : max(1, InMemoryRateLimiter.wholeSeconds((1 - tokens) / rate)), windowSeconds: policy.windowSeconds)
    }
}
