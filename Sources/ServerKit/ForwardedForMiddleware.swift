import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    /// `X-Forwarded-For`: the addresses a request passed through, as proxies append them.
    public static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}

/// Sets ``AppRequestContext/clientIP`` from `X-Forwarded-For` when the request came through a trusted proxy (see
/// ``TrustedProxies``). Install it before anything that reads the client's address (rate limits, the access log).
public struct ForwardedForMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext

    /// The proxies believed.
    public let trusted: TrustedProxies

    /// Creates the middleware.
    public init(trusted: TrustedProxies) { self.trusted = trusted }

    /// Attributes the request to its client, then runs the chain.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !trusted.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientIP = trusted.client(peer: context.clientIP, forwardedFor: request.headers[values: .xForwardedFor])
        return try await next(request, context)
    }
}
