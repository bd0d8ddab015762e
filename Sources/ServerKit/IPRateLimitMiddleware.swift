import Hummingbird
import Logging

/// A generous per-client-IP limit on every request, in front of the route-class limits of ``SecureRouter``.
///
/// Refusals are 429 problems with `Retry-After`; allowed responses are not decorated, so the headers clients
/// see are those of their route's own limit. A limiter that fails lets the request through (the route limits
/// and authentication still apply) and logs a warning.
public struct IPRateLimitMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext

    /// The limiter holding the buckets.
    public let limiter: any RateLimiter
    /// The per-IP policy.
    public let policy: RateLimitPolicy

    /// Creates the middleware.
    public init(limiter: any RateLimiter, policy: RateLimitPolicy = RateLimitSettings.standard.global) {
        self.limiter = limiter
        self.policy = policy
    }

    /// Counts the request against its IP's bucket.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let decision: RateLimitDecision
        do {
            decision = try await limiter.consume(key: "ip:\(context.clientIP)", policy: policy)
        } catch {
            context.logger.warning("Rate limiter failed; request let through", metadata: ["error.type": "\(type(of: error))"])
            return try await next(request, context)
        }
        guard decision.allowed else {
            context.logger.notice("Global rate limit refused a request", metadata: ["client_ip": .string(context.clientIP)])
            throw decision.problem
        }
        return try await next(request, context)
    }
}
