import Contracts

/// Who may call a route. Every route states one when it is registered.
public enum RouteAccess: Sendable, Hashable, CustomStringConvertible {
    /// Anyone, without credentials (login, health, JWKS).
    case anonymous
    /// A signed-in user whose role holds the permission.
    case permission(Permission)
    /// The metrics scraper: a loopback caller, or one with the configured metrics token.
    case metricsScraper
    /// Another LastMile service, with a service token meant for the named service (internal APIs only).
    case service(String)

    /// A short text for logs and the route table.
    public var description: String {
        switch self {
        case .anonymous: "anonymous"
        case .permission(let permission): permission.rawValue
        case .metricsScraper: "metrics-scraper"
        case .service(let name): "service:\(name)"
        }
    }
}

/// The rate-limit bucket a route draws from.
public enum RouteClass: String, Sendable, Hashable, CaseIterable {
    /// Credential-handling routes: login, refresh, password reset. Strict, per client IP.
    case credentials
    /// Ordinary API routes, per user when signed in, else per IP.
    case api
    /// Health, metrics, JWKS: not limited.
    case infrastructure
}
