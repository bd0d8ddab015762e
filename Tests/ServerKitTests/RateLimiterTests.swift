import Contracts
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import ServerKit
import Testing

@Suite struct RateLimiterTests {
    let policy = RateLimitPolicy(name: "test", capacity: 3, refillPerSecond: 1)

    @Test func bucketAllowsCapacityThenRefuses() async throws {
        let clock = ManualClock()
        let limiter = InMemoryRateLimiter(clock: clock)
        var remaining: [Int] = []
        for _ in 0..<3 {
            let decision = try await limiter.consume(key: "k", policy: policy)
            #expect(decision.allowed)
            remaining.append(decision.remaining)
        }
        #expect(remaining == [2, 1, 0])
        let refused = try await limiter.consume(key: "k", policy: policy)
        #expect(!refused.allowed)
        #expect(refused.remaining == 0)
        #expect(refused.retryAfter == 1)
        #expect(refused.resetSeconds == 3)
        #expect(refused.limit == 3)
    }

    @Test func bucketRefillsWithTime() async throws {
        let clock = ManualClock()
        let limiter = InMemoryRateLimiter(clock: clock)
        for _ in 0..<3 { _ = try await limiter.consume(key: "k", policy: policy) }
        #expect(try await !limiter.consume(key: "k", policy: policy).allowed)
        clock.advance(by: 0.5)
        #expect(try await !limiter.consume(key: "k", policy: policy).allowed)
        clock.advance(by: 0.5)
        #expect(try await limiter.consume(key: "k", policy: policy).allowed)
        clock.advance(by: 100)
        let full = try await limiter.consume(key: "k", policy: policy)
        #expect(full.allowed && full.remaining == 2)
    }

    @Test func perWindowPolicy() {
        let policy = RateLimitPolicy.perWindow(name: "login", limit: 10, seconds: 60)
        #expect(policy.capacity == 10)
        #expect(abs(policy.refillPerSecond - 10.0 / 60.0) < 1e-9)
        #expect(policy.windowSeconds == 60)
    }

    @Test func keysAndPoliciesAreIsolated() async throws {
        let limiter = InMemoryRateLimiter(clock: ManualClock())
        for _ in 0..<3 { _ = try await limiter.consume(key: "a", policy: policy) }
        #expect(try await !limiter.consume(key: "a", policy: policy).allowed)
        #expect(try await limiter.consume(key: "b", policy: policy).allowed)
        let other = RateLimitPolicy(name: "other", capacity: 3, refillPerSecond: 1)
        #expect(try await limiter.consume(key: "a", policy: other).allowed)
    }

    @Test func refilledBucketsArePruned() async throws {
        let clock = ManualClock()
        let limiter = InMemoryRateLimiter(clock: clock)
        for index in 0..<100 { _ = try await limiter.consume(key: "k\(index)", policy: policy) }
        #expect(limiter.bucketCount == 100)
        #expect(limiter.prune() == 100)
        clock.advance(by: 1)
        #expect(limiter.prune() == 0)
        #expect(limiter.bucketCount == 0)
    }

    @Test func memoryStaysBoundedUnderAFloodOfKeys() async throws {
        let clock = ManualClock()
        let limiter = InMemoryRateLimiter(clock: clock, shardCount: 4, maxBucketsPerShard: 50)
        for index in 0..<10_000 { _ = try await limiter.consume(key: "flood\(index)", policy: policy) }
        #expect(limiter.bucketCount <= 4 * 50)
        // A key still in use keeps its state while the flood goes on.
        for _ in 0..<3 { _ = try await limiter.consume(key: "steady", policy: policy) }
        #expect(try await !limiter.consume(key: "steady", policy: policy).allowed)
    }

    @Test func decisionHeaders() {
        let decision = RateLimitDecision(allowed: false, limit: 10, remaining: 0, resetSeconds: 42, retryAfter: 6, windowSeconds: 60)
        let headers = decision.headers
        #expect(headers[.rateLimitLimit] == "10")
        #expect(headers[.rateLimitRemaining] == "0")
        #expect(headers[.rateLimitReset] == "42")
        #expect(headers[.rateLimitPolicy] == "10;w=60")
        #expect(decision.problem.status == .tooManyRequests)
        #expect(decision.problem.headers[.retryAfter] == "6")
        #expect(decision.problem.headers[values: .retryAfter].count == 1)
    }

    @Test func credentialRoutesAreLimitedPerIPWith429AndHeaders() async throws {
        let limits = RateLimitSettings(
            credentials: .perWindow(name: "credentials", limit: 2, seconds: 60), api: unlimited.api, global: unlimited.global)
        let server = TestServer(rateLimits: limits) { router in
            router.post("/login", access: .anonymous, class: .credentials) { _, _ -> String in "ok" }
            router.get("/health", access: .anonymous, class: .infrastructure) { _, _ -> String in "ok" }
        }
        let ip = HTTPField.Name("X-Test-Client-IP")!
        let clock = server.clock
        try await server.application().test(.router) { client in
            let first = try await client.execute(uri: "/login", method: .post, headers: [ip: "198.51.100.1"])
            #expect(first.status == .ok)
            #expect(first.headers[.rateLimitLimit] == "2")
            #expect(first.headers[.rateLimitRemaining] == "1")
            #expect(first.headers[.rateLimitReset] == "30")
            _ = try await client.execute(uri: "/login", method: .post, headers: [ip: "198.51.100.1"])
            let refused = try await client.execute(uri: "/login", method: .post, headers: [ip: "198.51.100.1"])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "30")
            #expect(refused.headers[.rateLimitRemaining] == "0")
            #expect(try refused.problem().code == "rate-limited")
            let otherIP = try await client.execute(uri: "/login", method: .post, headers: [ip: "198.51.100.2"])
            #expect(otherIP.status == .ok)
            for _ in 0..<10 {
                let health = try await client.execute(uri: "/health", method: .get, headers: [ip: "198.51.100.1"])
                #expect(health.status == .ok)
                #expect(health.headers[.rateLimitLimit] == nil)
            }
            clock.advance(by: 30)
            #expect(try await client.execute(uri: "/login", method: .post, headers: [ip: "198.51.100.1"]).status == .ok)
        }
    }

    @Test func apiRoutesAreLimitedPerUser() async throws {
        let limits = RateLimitSettings(
            credentials: unlimited.credentials, api: RateLimitPolicy(name: "api", capacity: 2, refillPerSecond: 1), global: unlimited.global)
        let server = TestServer(rateLimits: limits) { router in
            router.get("/me", access: .permission(.ownAccount), class: .api) { _, _ -> String in "ok" }
        }
        let ip = HTTPField.Name("X-Test-Client-IP")!
        try await server.application().test(.router) { client in
            var headers = bearer("customer-token")
            headers[ip] = "198.51.100.1"
            let response1 = try await client.execute(uri: "/me", method: .get, headers: headers)
            #expect(response1.status == .ok)
            headers[ip] = "198.51.100.2"
            let response2 = try await client.execute(uri: "/me", method: .get, headers: headers)
            #expect(response2.status == .ok)
            let response3 = try await client.execute(uri: "/me", method: .get, headers: headers)
            #expect(response3.status == .tooManyRequests)
            // Another user behind the same address has a bucket of their own.
            var other = bearer("other-customer-token")
            other[ip] = "198.51.100.2"
            let response4 = try await client.execute(uri: "/me", method: .get, headers: other)
            #expect(response4.status == .ok)
        }
    }

    @Test func globalPerIPLimit() async throws {
        let clock = ManualClock()
        let limiter = InMemoryRateLimiter(clock: clock)
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: IPRateLimitMiddleware(limiter: limiter, policy: RateLimitPolicy(name: "global", capacity: 2, refillPerSecond: 1)))
        router.get("/x") { _, _ in "x" }
        try await Application(router: router).test(.router) { client in
            #expect(try await client.execute(uri: "/x", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/x", method: .get).status == .ok)
            let refused = try await client.execute(uri: "/x", method: .get)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "1")
        }
    }
}
