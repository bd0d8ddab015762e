import Contracts
import Hummingbird
import ServerKit

/// The public HTTP face of LastMile (seed: API Gateway / BFF).
public enum Gateway {
    /// Builds the router with every middleware and route; tests and `lastmile serve` both call it.
    public static func buildRouter(_ dependencies: GatewayDependencies) -> SecureRouter {
        let router = Router(context: AppRequestContext.self)
        // Order matters: metrics and CORS sit outside the problem mapper so they see final responses (and CORS
        // headers reach error answers); the access log sits after authentication so it can name the user.
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ForwardedForMiddleware(trusted: dependencies.trustedProxies))
        router.add(middleware: HTTPMetricsMiddleware(metrics: dependencies.metrics))
        router.add(middleware: CORSMiddleware(allowedOrigins: dependencies.corsOrigins))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: IPRateLimitMiddleware(limiter: dependencies.security.rateLimiter, policy: dependencies.security.rateLimits.global))
        router.add(middleware: BodyLimitMiddleware(maxBytes: dependencies.maxBodyBytes))
        router.add(middleware: AuthenticationMiddleware(auth: dependencies.auth))
        if let keys = dependencies.serviceKeys { router.add(middleware: ServiceAuthenticationMiddleware(keys: keys)) }
        router.add(middleware: AccessLogMiddleware())
        let secure = SecureRouter(router: router, security: dependencies.security)
        HealthRoutes(checks: dependencies.healthChecks, metrics: dependencies.metrics).register(on: secure)
        AuthRoutes(auth: dependencies.auth, cookies: dependencies.cookies, security: dependencies.security).register(on: secure)
        AdminUserRoutes(auth: dependencies.auth).register(on: secure)
        CustomerRoutes(customers: dependencies.customers).register(on: secure)
        BillingRoutes(billing: dependencies.billing, customers: dependencies.customers).register(on: secure)
        AdminCustomerRoutes(customers: dependencies.customers, billing: dependencies.billing).register(on: secure)
        AdminBillingRoutes(billing: dependencies.billing).register(on: secure)
        SupportRoutes(
            support: dependencies.support, customers: dependencies.customers, billing: dependencies.billing,
            maxAttachmentBytes: dependencies.maxAttachmentBytes
        ).register(on: secure)
        AdminSupportRoutes(support: dependencies.support, maxAttachmentBytes: dependencies.maxAttachmentBytes).register(on: secure)
        SupportDeskRoutes(support: dependencies.support).register(on: secure)
        NotificationRoutes(notifications: dependencies.notifications).register(on: secure)
        UnsubscribeRoutes(notifications: dependencies.notifications).register(on: secure)
        AlertRoutes(notifications: dependencies.notifications, token: dependencies.alertmanagerToken).register(on: secure)
        AdminNotificationRoutes(notifications: dependencies.notifications, customers: dependencies.customers).register(on: secure)
        return secure
    }
}
