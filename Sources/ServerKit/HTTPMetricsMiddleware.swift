import Contracts
import Hummingbird

/// Counts requests and times them in ``HTTPMetrics``, by method, route template and status.
///
/// Unmatched paths are labelled `NotFound`. A thrown error is counted with the status it is answered with.
public struct HTTPMetricsMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = AppRequestContext

    /// Where the metrics go.
    public let metrics: HTTPMetrics

    /// Creates the middleware.
    public init(metrics: HTTPMetrics) {
        self.metrics = metrics
    }

    /// Runs the chain and records its outcome.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.record(
                method: request.method, route: context.endpointPath ?? "NotFound", status: response.status, duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = Problem.mapping(error)?.status ?? .internalServerError
            metrics.record(method: request.method, route: context.endpointPath ?? "NotFound", status: status, duration: ContinuousClock.now - start)
            throw error
        }
    }
}
