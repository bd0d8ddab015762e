import Contracts
import Hummingbird
import Logging

/// Turns every thrown error into an `application/problem+json` response (RFC 9457).
///
/// Mapped errors (see ``Problem/mapping(_:)``) keep their status; anything else is logged at error level with
/// the request id and answered with ``Problem/internalError``, which says nothing about internals.
public struct ProblemMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext

    /// Creates the middleware.
    public init() {}

    /// Runs the rest of the chain and maps what it throws.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.problem(for: error, context: context).response(for: request, context: context)
        }
    }

    /// The problem for an error; logs the error when it is not a mapped one.
    static func problem(for error: any Error, context: Context) -> Problem {
        if let problem = Problem.mapping(error) { return problem }
        context.logger.error(
            "Unhandled error",
            metadata: ["error.type": "\(String(reflecting: type(of: error)))", "error.message": "\(String(describing: error))"])
        return .internalError
    }
}
