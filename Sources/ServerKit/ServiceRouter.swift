import Hummingbird

/// The router of a process that serves only internal APIs (a service without the gateway): request ids, metrics,
/// problem answers and service-token verification, then health and metrics routes; the services add theirs.
public enum ServiceRouter {
    /// A router with the internal APIs' middleware and the health and metrics routes.
    public static func build(keys: ServiceKeys, security: RouteSecurity, metrics: HTTPMetrics, healthChecks: [HealthCheck]) -> SecureRouter {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: HTTPMetricsMiddleware(metrics: metrics))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: ServiceAuthenticationMiddleware(keys: keys))
        router.add(middleware: AccessLogMiddleware())
        let secure = SecureRouter(router: router, security: security)
        HealthRoutes(checks: healthChecks, metrics: metrics).register(on: secure)
        return secure
    }
}
