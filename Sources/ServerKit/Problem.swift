import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answered as `application/problem+json` (RFC 9457).
public struct Problem: HTTPResponseError, Sendable, Equatable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable, machine-readable code; the `type` member is built from it.
    public var code: String
    /// A short human-readable summary.
    public var title: String
    /// Details for this occurrence.
    public var detail: String?
    /// The request field at fault, as a JSON path such as `email` or `address.city`.
    public var field: String?
    /// Extra response headers (`Retry-After`, `WWW-Authenticate`…).
    public var headers: HTTPFields

    /// Creates a problem.
    public init(
        _ status: HTTPResponse.Status, code: String, title: String, detail: String? = nil, field: String? = nil,
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.field = field
        self.headers = headers
    }

    /// The `type` URI that names this kind of problem.
    public var typeURI: String { "https://lastmile.dev/problems/\(code)" }

    struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String?
        var instance: String?
        var code: String
        var field: String?
        var requestId: String?
    }

    /// The JSON body of the problem; `instance` is the request path.
    public func body(instance: String?, requestID: String?) -> ByteBuffer {
        let body = Body(
            type: typeURI, title: title, status: Int(status.code), detail: detail, instance: instance, code: code,
            field: field, requestId: requestID)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        return ByteBuffer(bytes: data)
    }

    /// Builds the response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestID = (context as? AppRequestContext).map(\.requestID).flatMap { $0.isEmpty ? nil : $0 }
        return response(instance: request.uri.path, requestID: requestID)
    }

    /// Builds the response without a request at hand (middleware that answers early).
    public func response(instance: String?, requestID: String?) -> Response {
        var fields = headers
        fields[.contentType] = "application/problem+json"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: body(instance: instance, requestID: requestID)))
    }
}

extension Problem {
    /// 400 for a body or parameter that breaks a rule; names the field.
    public static func invalidField(_ field: String, _ detail: String) -> Problem {
        Problem(.badRequest, code: "invalid-field", title: "A field is invalid", detail: detail, field: field)
    }

    /// 401 with a `WWW-Authenticate` challenge.
    public static func unauthorized(_ detail: String = "Sign in to continue") -> Problem {
        Problem(
            .unauthorized, code: "unauthorized", title: "Authentication required", detail: detail,
            headers: [.wwwAuthenticate: "Bearer realm=\"lastmile\""])
    }

    /// 403: signed in, but the role does not allow it.
    public static let forbidden = Problem(.forbidden, code: "forbidden", title: "Not allowed", detail: "Your role does not allow this action")

    /// 404 for a missing object, or one that is not the caller's.
    public static let notFound = Problem(.notFound, code: "not-found", title: "Not found")

    /// 429 with `Retry-After`.
    public static func tooManyRequests(retryAfter seconds: Int, detail: String = "Too many requests; try again later") -> Problem {
        Problem(
            .tooManyRequests, code: "rate-limited", title: "Too many requests", detail: detail,
            headers: [.retryAfter: String(max(1, seconds))])
    }

    /// 500 without internals.
    public static let internalError = Problem(
        .internalServerError, code: "internal", title: "Internal error", detail: "Something went wrong on our side; it has been logged")

    /// 503 when a dependency is down.
    public static func unavailable(_ detail: String) -> Problem {
        Problem(.serviceUnavailable, code: "unavailable", title: "Service unavailable", detail: detail, headers: [.retryAfter: "5"])
    }
}
