import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A thrown ``Problem`` is answered by Hummingbird as itself.
extension Problem: HTTPResponseError {
    /// The JSON body of the problem; `instance` is the request path.
    public func body(instance: String?, requestID: String?) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(ProblemDocument(self, instance: instance, requestID: requestID))) ?? Data("{}".utf8)
        return ByteBuffer(bytes: data)
    }

    /// Builds the response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestID = (context as? AppRequestContext).map(\.requestID).flatMap { $0.isEmpty ? nil : $0 }
        return response(instance: request.uri.path, requestID: requestID)
    }

    /// The response for `request`, carrying the context's request id.
    public func response(for request: Request, context: AppRequestContext) -> Response {
        response(instance: request.uri.path, requestID: context.requestID.isEmpty ? nil : context.requestID)
    }

    /// Builds the response without a request at hand (middleware that answers early).
    public func response(instance: String?, requestID: String?) -> Response {
        var fields = headers
        fields[.contentType] = "application/problem+json"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: body(instance: instance, requestID: requestID)))
    }
}
