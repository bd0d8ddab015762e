import Contracts
import ServerKit

/// What the gateway needs: the services behind it (local objects or HTTP clients) and its own policies.
public struct GatewayDependencies: Sendable {
    /// The auth service.
    public var auth: any AuthAPI
    /// The customer service.
    public var customers: any CustomersAPI
    /// The billing service.
    public var billing: any BillingAPI
    /// The support service.
    public var support: any SupportAPI
    /// The notification service.
    public var notifications: any NotificationsAPI
    /// The bearer token Alertmanager's webhook presents; the route is off without one.
    public var alertmanagerToken: String?
    /// Rate limiter, limits and the metrics token.
    public var security: RouteSecurity
    /// HTTP metrics, rendered at `/metrics`.
    public var metrics: HTTPMetrics
    /// Readiness checks for `/health/ready`.
    public var healthChecks: [HealthCheck]
    /// CORS allow-list.
    public var corsOrigins: [String]
    /// Largest request body, in bytes.
    public var maxBodyBytes: Int
    /// Largest attachment upload, in bytes (its routes read bodies up to this instead of ``maxBodyBytes``).
    public var maxAttachmentBytes: Int
    /// Cookie attributes for browser sessions.
    public var cookies: SessionCookies
    /// The service keys, when this process also serves internal APIs on the same router; nil otherwise.
    public var serviceKeys: ServiceKeys?
    /// The reverse proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: TrustedProxies

    /// Creates the dependencies.
    public init(
        auth: any AuthAPI, customers: any CustomersAPI, billing: any BillingAPI, support: any SupportAPI, notifications: any NotificationsAPI,
        security: RouteSecurity,
        metrics: HTTPMetrics,
        healthChecks: [HealthCheck] = [], corsOrigins: [String] = [],
        maxBodyBytes: Int = 1024 * 1024, maxAttachmentBytes: Int = 10 << 20, cookies: SessionCookies = SessionCookies(),
        serviceKeys: ServiceKeys? = nil,
        trustedProxies: TrustedProxies = .none, alertmanagerToken: String? = nil
    ) {
        self.alertmanagerToken = alertmanagerToken
        self.auth = auth
        self.customers = customers
        self.billing = billing
        self.support = support
        self.notifications = notifications
        self.security = security
        self.metrics = metrics
        self.healthChecks = healthChecks
        self.corsOrigins = corsOrigins
        self.maxBodyBytes = maxBodyBytes
        self.maxAttachmentBytes = maxAttachmentBytes
        self.cookies = cookies
        self.serviceKeys = serviceKeys
        self.trustedProxies = trustedProxies
    }
}
