import Hummingbird

extension Problem {
    /// The response for `request`, carrying the context's request id.
    public func response(for request: Request, context: AppRequestContext) -> Response {
        response(instance: request.uri.path, requestID: context.requestID.isEmpty ? nil : context.requestID)
    }
}
