import Contracts
import HTTPTypes
import Hummingbird
import Kernel
import Logging

extension HTTPField.Name {
    /// `X-CSRF-Token`: the double-submit copy of the `lm_csrf` cookie, required on unsafe cookie-authenticated requests.
    public static let xCSRFToken = HTTPField.Name("X-CSRF-Token")!
}

/// The checks ``SecureRouter`` runs before every handler: rate limit, access, CSRF.
///
/// Public so that routes outside the router (a WebSocket upgrade, GraphQL fields) can run the same checks.
public struct RouteSecurity: Sendable {
    /// The limiter holding the per-IP and per-user buckets.
    public var rateLimiter: any RateLimiter
    /// The policy of each route class.
    public var rateLimits: RateLimitSettings
    /// The bearer token a metrics scraper presents; nil admits only loopback scrapers.
    public var metricsToken: String?
    /// Whether a loopback caller may scrape without the token. Turn off behind a reverse proxy on the same host,
    /// where every request arrives from loopback.
    public var metricsFromLoopback: Bool
    /// The cookie whose value `X-CSRF-Token` must repeat.
    public var csrfCookieName: String

    /// The default CSRF cookie name.
    public static let defaultCSRFCookieName = "lm_csrf"

    /// Creates the checks.
    public init(
        rateLimiter: any RateLimiter, rateLimits: RateLimitSettings = .standard, metricsToken: String? = nil,
        metricsFromLoopback: Bool = true, csrfCookieName: String = RouteSecurity.defaultCSRFCookieName
    ) {
        self.rateLimiter = rateLimiter
        self.rateLimits = rateLimits
        self.metricsToken = metricsToken.flatMap { $0.isEmpty ? nil : $0 }
        self.metricsFromLoopback = metricsFromLoopback
        self.csrfCookieName = csrfCookieName
    }

    /// Runs the checks in order — rate limit, access, CSRF — and throws the first refusal as a ``Problem``.
    ///
    /// Returns the rate-limit decision, whose headers belong on the response; nil for unlimited routes.
    public func check(_ request: Request, context: AppRequestContext, access: RouteAccess, routeClass: RouteClass) async throws
        -> RateLimitDecision?
    {
        let decision = try await rateLimit(request, context: context, routeClass: routeClass)
        do {
            try checkAccess(request, context: context, access: access)
            try checkCSRF(request, context: context)
        } catch {
            guard var problem = Problem.mapping(error) else { throw error }
            if let decision { problem.headers.append(contentsOf: decision.headers) }
            throw problem
        }
        return decision
    }

    /// Takes a token from the route class's bucket: per IP for credentials, per user (else IP) for the API.
    ///
    /// When the limiter fails, credential routes fail closed (503) and API routes go ahead with a warning.
    public func rateLimit(_ request: Request, context: AppRequestContext, routeClass: RouteClass) async throws -> RateLimitDecision? {
        guard let policy = rateLimits.policy(for: routeClass) else { return nil }
        let key: String
        switch routeClass {
        case .api:
            key = context.identity.map { "user:\($0.userID)" } ?? "ip:\(context.clientIP)"
        case .credentials, .infrastructure:
            key = "ip:\(context.clientIP)"
        }
        let decision: RateLimitDecision
        do {
            decision = try await rateLimiter.consume(key: key, policy: policy)
        } catch {
            context.logger.warning("Rate limiter failed", metadata: ["error.type": "\(type(of: error))", "policy": .string(policy.name)])
            if routeClass == .credentials { throw Problem.unavailable("Rate limiting is unavailable; try again shortly") }
            return nil
        }
        guard decision.allowed else { throw decision.problem }
        return decision
    }

    /// 401 without a caller (503 when the session store is down), 403 for a role without the permission;
    /// for the metrics scraper, loopback or the metrics token.
    public func checkAccess(_ request: Request, context: AppRequestContext, access: RouteAccess) throws {
        switch access {
        case .anonymous:
            return
        case .permission(let permission):
            guard let identity = context.identity else {
                if let failure = context.authenticationFailure { throw failure }
                throw Problem.unauthorized()
            }
            guard AccessPolicy.allows(identity.role, permission) else { throw Problem.forbidden }
        case .metricsScraper:
            if metricsFromLoopback, ClientAddress.isLoopback(context.clientIP) { return }
            guard let metricsToken else {
                throw Problem(.forbidden, code: "forbidden", title: "Not allowed", detail: "Metrics are served to loopback callers only")
            }
            guard let header = request.headers[.authorization] else {
                throw Problem.unauthorized("Present the metrics token")
            }
            guard let token = AuthenticationMiddleware.bearerToken(header), ConstantTime.equals(token, metricsToken) else {
                throw AuthError.invalidToken(reason: "wrong metrics token")
            }
        case .service(let name):
            guard let caller = context.serviceCaller, caller.audience == name else {
                throw Problem(
                    .unauthorized, code: "service-token", title: "Service token required",
                    detail: "Internal APIs answer only LastMile services presenting a valid service token")
            }
        }
    }

    /// For a cookie-authenticated unsafe request, `X-CSRF-Token` must equal the CSRF cookie (double submit), else 403.
    public func checkCSRF(_ request: Request, context: AppRequestContext) throws {
        guard context.identity?.method == .cookie, Self.isUnsafe(request.method) else { return }
        try verifyCSRFToken(request)
    }

    /// Checks the double-submit token regardless of how the caller signed in (for cookie-based refresh and logout).
    public func verifyCSRFToken(_ request: Request) throws {
        guard let header = request.headers[.xCSRFToken], let cookie = request.cookies[csrfCookieName]?.value,
            !header.isEmpty, ConstantTime.equals(header, cookie)
        else {
            throw Problem(
                .forbidden, code: "csrf", title: "CSRF check failed",
                detail: "Send the X-CSRF-Token header with the value of the \(csrfCookieName) cookie")
        }
    }

    /// Whether a method changes state, so needs the CSRF check.
    public static func isUnsafe(_ method: HTTPRequest.Method) -> Bool {
        switch method {
        case .get, .head, .options, .trace: false
        default: true
        }
    }
}
