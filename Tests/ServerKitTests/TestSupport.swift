import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import Kernel
import Logging
import NIOCore
import ServerKit
import Testing

/// An auth service that knows a few fixed tokens.
struct StubAuth: AuthAPI {
    static let tokens: [String: (userID: String, role: Role)] = [
        "customer-token": ("u-customer", .customer),
        "other-customer-token": ("u-other", .customer),
        "agent-token": ("u-agent", .supportAgent),
        "admin-token": ("u-admin", .admin),
    ]

    func authenticate(accessToken: String) async throws -> AccessClaims {
        switch accessToken {
        case "revoked-token": throw AuthError.sessionRevoked
        case "down-token": throw AuthError.unavailable
        case "boom-token": throw CancellationError()
        default:
            guard let user = Self.tokens[accessToken] else { throw AuthError.invalidToken(reason: "unknown test token") }
            return AccessClaims(userID: user.userID, role: user.role, sessionID: "s-\(user.userID)", tokenID: "t", expiresAt: Date())
        }
    }

    func login(email: String, password: String, client: ClientInfo) async throws -> TokenPair { throw AuthError.invalidCredentials }
    func refresh(refreshToken: String, client: ClientInfo) async throws -> TokenPair { throw AuthError.invalidRefreshToken }
    func logout(sessionID: String) async throws {}
    func logoutEverywhere(userID: String) async throws {}
    func sessions(userID: String, currentSessionID: String?) async throws -> [SessionInfo] { [] }
    func revokeSession(userID: String, sessionID: String) async throws { throw AuthError.notFound }
    func profile(userID: String) async throws -> UserProfile { throw AuthError.notFound }
    func changePassword(userID: String, sessionID: String, currentPassword: String, newPassword: String) async throws {
        throw AuthError.wrongCurrentPassword
    }
    func requestPasswordReset(email: String, client: ClientInfo) async throws {}
    func resetPassword(token: String, newPassword: String) async throws { throw AuthError.invalidResetToken }
    func jwks() async throws -> JWKSet { JWKSet(keys: []) }
    func createUser(email: String, password: String, role: Role, locale: String) async throws -> UserProfile { throw AuthError.emailTaken }
}

/// Lets router tests (which have no socket) choose the client IP with `X-Test-Client-IP`.
struct TestClientIPMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let ip = request.headers[HTTPField.Name("X-Test-Client-IP")!] { context.clientIP = ip }
        return try await next(request, context)
    }
}

/// The decoded body of a problem response.
struct ProblemBody: Decodable, Equatable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var instance: String?
    var code: String
    var field: String?
    var requestId: String?
}

extension TestResponse {
    /// The body as a problem; records an issue when it is not one.
    func problem(sourceLocation: SourceLocation = #_sourceLocation) throws -> ProblemBody {
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        return try JSONDecoder().decode(ProblemBody.self, from: Data(body.readableBytesView))
    }

    /// The body as text.
    var text: String { String(buffer: body) }
}

/// The pieces a test app is made of.
struct TestServer {
    let router: Router<AppRequestContext>
    let secure: SecureRouter
    let metrics: HTTPMetrics
    let limiter: InMemoryRateLimiter
    let clock: ManualClock

    /// The recommended middleware stack, then the routes `routes` adds.
    init(
        rateLimits: RateLimitSettings = .standard, metricsToken: String? = "scrape-secret", allowedOrigins: [String] = ["https://app.example"],
        routes: (SecureRouter) -> Void
    ) {
        clock = ManualClock()
        limiter = InMemoryRateLimiter(clock: clock)
        metrics = HTTPMetrics()
        router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: TestClientIPMiddleware())
        router.add(middleware: HTTPMetricsMiddleware(metrics: metrics))
        router.add(middleware: CORSMiddleware(allowedOrigins: allowedOrigins))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: AuthenticationMiddleware(auth: StubAuth()))
        router.add(middleware: AccessLogMiddleware())
        secure = SecureRouter(
            router: router, security: RouteSecurity(rateLimiter: limiter, rateLimits: rateLimits, metricsToken: metricsToken))
        routes(secure)
    }

    func application(server: HTTPServerBuilder = .http1WithHeaderLimits(), logger: Logger? = nil) -> some ApplicationProtocol {
        Application(router: router, server: server, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
    }
}

/// Generous limits, for tests that are not about rate limiting.
let unlimited = RateLimitSettings(
    credentials: RateLimitPolicy(name: "credentials", capacity: 1_000_000, refillPerSecond: 1_000),
    api: RateLimitPolicy(name: "api", capacity: 1_000_000, refillPerSecond: 1_000),
    global: RateLimitPolicy(name: "global", capacity: 1_000_000, refillPerSecond: 1_000))

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
