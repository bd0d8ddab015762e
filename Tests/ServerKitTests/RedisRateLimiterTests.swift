import Foundation
import RESP
import ServerKit
import Testing

@Suite("Rate limits shared through Redis", .enabled(if: ProcessInfo.processInfo.environment["LASTMILE_TEST_REDIS_URL"] != nil))
struct RedisRateLimiterTests {
    static func connect() async throws -> RESPConnection {
        try await RESPConnection.connect(configuration: RESPConfiguration(url: ProcessInfo.processInfo.environment["LASTMILE_TEST_REDIS_URL"]!))
    }

    @Test func aBucketAllowsItsCapacityThenRefuses() async throws {
        let connection = try await Self.connect()
        let limiter = RedisRateLimiter(redis: connection, prefix: "test-\(UUID().uuidString):")
        let policy = RateLimitPolicy(name: "api", capacity: 5, refillPerSecond: 0.001)
        var decisions: [RateLimitDecision] = []
        for _ in 0..<7 { decisions.append(try await limiter.consume(key: "user:1", policy: policy)) }
        #expect(decisions.map(\.allowed) == [true, true, true, true, true, false, false])
        #expect(decisions.map(\.remaining) == [4, 3, 2, 1, 0, 0, 0])
        #expect((decisions.last?.retryAfter ?? 0) >= 1)
        #expect(try await limiter.consume(key: "user:2", policy: policy).allowed, "keys are separate buckets")
        await connection.close()
    }

    @Test func twoGatewaysShareOneLimit() async throws {
        let first = try await Self.connect()
        let second = try await Self.connect()
        let prefix = "test-\(UUID().uuidString):"
        let gateways = [RedisRateLimiter(redis: first, prefix: prefix), RedisRateLimiter(redis: second, prefix: prefix)]
        let policy = RateLimitPolicy(name: "api", capacity: 1000, refillPerSecond: 0.01)
        let allowed = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<20 {
                group.addTask {
                    var allowed = 0
                    for _ in 0..<500 where try await gateways[worker % 2].consume(key: "ip:203.0.113.5", policy: policy).allowed {
                        allowed += 1
                    }
                    return allowed
                }
            }
            return try await group.reduce(0, +)
        }
        // 10,000 requests against a limit of 1,000 (plus at most a token or two of refill while they run).
        #expect(allowed >= 1000 && allowed <= 1010)
        await first.close()
        await second.close()
    }
}
