import Contracts
import HTTPTypes
import Hummingbird
import NIOCore

extension Problem {
    /// The problem an error is answered with, or nil for an error nobody mapped (a bug: logged and answered 500).
    ///
    /// A ``ProblemConvertible`` error (a ``Problem`` itself, and every service's errors) says its own; ServerKit maps
    /// only what no service owns: `DecodingError`, a malformed form, a body over the limit, and any other `HTTPResponseError`
    /// (Hummingbird's `HTTPError`…), which keeps its status.
    public static func mapping(_ error: any Error) -> Problem? {
        switch error {
        case let error as any ProblemConvertible: error.problem
        case let error as DecodingError: Problem(error)
        case is URLEncodedFormError: Problem.malformedForm
        case let error as HTTPError: Problem(status: error.status, headers: error.headers, message: error.body)
        case is NIOTooManyBytesError: Problem.bodyTooLarge
        case let error as any HTTPResponseError: Problem(status: error.status)
        default: nil
        }
    }

    /// A problem for a bare HTTP status, with the stable code LastMile uses for it.
    ///
    /// A client-error message is kept as the detail; a server-error message is dropped, as it may hold internals.
    public init(status: HTTPResponse.Status, headers: HTTPFields = [:], message: String? = nil) {
        let (code, title) = Self.codeAndTitle(for: status)
        let detail = status.kind == .clientError ? message : nil
        var headers = headers
        headers[.contentType] = nil
        headers[.contentLength] = nil
        if status == .unauthorized, headers[.wwwAuthenticate] == nil {
            headers.append(contentsOf: Self.bearerChallenge())
        }
        self.init(status, code: code, title: title, detail: detail, headers: headers)
    }

    /// 413 for a body over the route's upload limit.
    public static let bodyTooLarge = Problem(
        .contentTooLarge, code: "body-too-large", title: "Request body too large", detail: "The request body is larger than this route accepts")

    /// 400 for a URL-encoded form body that cannot be parsed.
    public static let malformedForm = Problem(
        .badRequest, code: "malformed-form", title: "Malformed form", detail: "The body is not a valid URL-encoded form")

    /// 431 for request headers over the server's limit.
    public static let headersTooLarge = Problem(
        .requestHeaderFieldsTooLarge, code: "headers-too-large", title: "Request headers too large",
        detail: "The request headers are larger than the server accepts")

    static func codeAndTitle(for status: HTTPResponse.Status) -> (code: String, title: String) {
        switch status.code {
        case 400: ("bad-request", "Bad request")
        case 401: ("unauthorized", "Authentication required")
        case 403: ("forbidden", "Not allowed")
        case 404: ("not-found", "Not found")
        case 405: ("method-not-allowed", "Method not allowed")
        case 406: ("not-acceptable", "Not acceptable")
        case 408: ("request-timeout", "Request timeout")
        case 409: ("conflict", "Conflict")
        case 410: ("gone", "Gone")
        case 411: ("length-required", "Length required")
        case 412: ("precondition-failed", "Precondition failed")
        case 413: ("body-too-large", "Request body too large")
        case 414: ("uri-too-long", "URI too long")
        case 415: ("unsupported-media-type", "Unsupported media type")
        case 422: ("unprocessable", "Unprocessable content")
        case 428: ("precondition-required", "Precondition required")
        case 429: ("rate-limited", "Too many requests")
        case 431: ("headers-too-large", "Request headers too large")
        case 501: ("not-implemented", "Not implemented")
        case 502: ("bad-gateway", "Bad gateway")
        case 503: ("unavailable", "Service unavailable")
        case 504: ("gateway-timeout", "Gateway timeout")
        case 500..<600: ("internal", "Internal error")
        default: ("http-\(status.code)", status.reasonPhrase.isEmpty ? "HTTP \(status.code)" : status.reasonPhrase)
        }
    }
}
