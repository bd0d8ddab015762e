import Contracts
import Foundation
import HTTPTypes
import Hummingbird

/// Cross-origin access for an explicit list of browser origins (the personal account, the admin panel).
///
/// An allowed origin is echoed in `Access-Control-Allow-Origin` with credentials allowed; a preflight from it is
/// answered 204 here. Any other origin gets no CORS headers at all, and its preflight a 403 problem.
/// Every response carries `Vary: Origin`, so caches keep the answers apart.
public struct CORSMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext

    /// Origins allowed to call, exactly as browsers send them (`https://my.lastmile.dev`).
    public let allowedOrigins: Set<String>
    /// Methods a preflight may ask for.
    public let allowMethods: [HTTPRequest.Method]
    /// Request headers a preflight may ask for.
    public let allowHeaders: [String]
    /// Response headers scripts may read.
    public let exposeHeaders: [String]
    /// How long, in seconds, a browser may cache a preflight answer.
    public let maxAge: Int

    /// The headers LastMile's browsers send.
    public static let defaultAllowHeaders = ["Authorization", "Content-Type", "X-Request-Id", "X-CSRF-Token", "Idempotency-Key"]
    /// The headers LastMile's scripts read.
    public static let defaultExposeHeaders = ["X-Request-Id", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]

    private let allowMethodsValue: String
    private let allowHeadersValue: String
    private let exposeHeadersValue: String

    /// Creates the middleware; origins are compared exactly, after dropping a trailing `/`.
    public init(
        allowedOrigins: some Sequence<String>,
        allowMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete],
        allowHeaders: [String] = CORSMiddleware.defaultAllowHeaders,
        exposeHeaders: [String] = CORSMiddleware.defaultExposeHeaders,
        maxAge: Int = 600
    ) {
        self.allowedOrigins = Set(allowedOrigins.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
        self.allowMethods = allowMethods
        self.allowHeaders = allowHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAge = maxAge
        self.allowMethodsValue = allowMethods.map(\.rawValue).joined(separator: ", ")
        self.allowHeadersValue = allowHeaders.joined(separator: ", ")
        self.exposeHeadersValue = exposeHeaders.joined(separator: ", ")
    }

    /// Answers preflights and decorates responses to allowed origins.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else {
            var response = try await next(request, context)
            Self.addVaryOrigin(&response.headers)
            return response
        }
        let allowed = allowedOrigins.contains(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            guard allowed else {
                var response = Problem(.forbidden, code: "cors-origin", title: "Origin not allowed", detail: "This origin may not call the API")
                    .response(for: request, context: context)
                Self.addVaryOrigin(&response.headers)
                return response
            }
            var headers: HTTPFields = [
                .accessControlAllowOrigin: origin,
                .accessControlAllowCredentials: "true",
                .accessControlAllowMethods: allowMethodsValue,
                .accessControlAllowHeaders: allowHeadersValue,
                .accessControlMaxAge: String(maxAge),
            ]
            Self.addVaryOrigin(&headers)
            return Response(status: .noContent, headers: headers)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // Scripts of an allowed origin must be able to read error answers too.
            response = ProblemMiddleware.problem(for: error, context: context).response(for: request, context: context)
        }
        Self.addVaryOrigin(&response.headers)
        if allowed {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowCredentials] = "true"
            if !exposeHeadersValue.isEmpty {
                response.headers[.accessControlExposeHeaders] = exposeHeadersValue
            }
        }
        return response
    }

    static func addVaryOrigin(_ headers: inout HTTPFields) {
        let present = headers[values: .vary].contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare("origin") == .orderedSame }
        }
        if !present { headers.append(HTTPField(name: .vary, value: "Origin")) }
    }
}
