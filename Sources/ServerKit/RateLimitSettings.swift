/// The rate-limit policies of each route class, and of the optional global per-IP limit.
public struct RateLimitSettings: Sendable, Hashable {
    /// ``RouteClass/credentials`` routes (login, refresh, password reset), per client IP.
    public var credentials: RateLimitPolicy
    /// ``RouteClass/api`` routes, per user when signed in, else per client IP.
    public var api: RateLimitPolicy
    /// Every request, per client IP (``IPRateLimitMiddleware``); generous, against floods.
    public var global: RateLimitPolicy

    /// Creates settings.
    public init(credentials: RateLimitPolicy, api: RateLimitPolicy, global: RateLimitPolicy) {
        self.credentials = credentials
        self.api = api
        self.global = global
    }

    /// 10 credential attempts a minute per IP; 50 API requests a second per user with a burst of 100;
    /// 500 requests a second per IP with a burst of 1000.
    public static let standard = RateLimitSettings(
        credentials: .perWindow(name: "credentials", limit: 10, seconds: 60),
        api: RateLimitPolicy(name: "api", capacity: 100, refillPerSecond: 50),
        global: RateLimitPolicy(name: "global", capacity: 1000, refillPerSecond: 500))

    /// The policy of a route class; nil for ``RouteClass/infrastructure``, which is not limited.
    public func policy(for routeClass: RouteClass) -> RateLimitPolicy? {
        switch routeClass {
        case .credentials: credentials
        case .api: api
        case .infrastructure: nil
        }
    }
}
