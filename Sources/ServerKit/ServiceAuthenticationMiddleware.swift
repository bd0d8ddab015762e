import Contracts
import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    /// `LastMile-Service-Token`: the token one LastMile service presents to another's internal API.
    public static let serviceToken = HTTPField.Name("LastMile-Service-Token")!
}

/// Verifies the service token of a call to an internal API and sets ``AppRequestContext/serviceCaller``; the route's
/// ``RouteAccess/service(_:)`` check then refuses a call without one, or one meant for another service.
///
/// The acting user the token carries becomes ``RequestMetadata/actingUser`` (and the logs' `user_id`) for the rest
/// of the request, so that calls this service makes onward carry the same user.
public struct ServiceAuthenticationMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext

    /// The installation's service keys.
    public let keys: ServiceKeys

    /// Creates the middleware.
    public init(keys: ServiceKeys) { self.keys = keys }

    /// Verifies the token, if there is one, then runs the chain.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.headers[.serviceToken] else { return try await next(request, context) }
        var context = context
        do {
            context.serviceCaller = try await keys.verify(token)
        } catch {
            context.logger.warning("Service token refused", metadata: ["path": .string(request.uri.path)])
            return try await next(request, context)
        }
        guard let user = context.serviceCaller?.actingUser else { return try await next(request, context) }
        return try await RequestMetadata.$actingUser.withValue(user) { try await next(request, context) }
    }
}
