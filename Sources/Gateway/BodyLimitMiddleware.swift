import Hummingbird
import ServerKit

/// Sets the largest body routes decode; larger bodies get 413.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Copying the context costs on every request; skip it when the limit is already the one in force.
        guard context.maxUploadSize != maxBytes else { return try await next(request, context) }
        var context = context
        context.maxUploadSize = maxBytes
        return try await next(request, context)
    }
}
