import HTTPTypes

/// The JSON body of a problem response (RFC 9457 members plus `code`, `field` and `requestId`).
///
/// The server encodes it; a client reads it back and, with the response's status and headers, has the ``Problem`` again.
public struct ProblemDocument: Codable, Sendable, Equatable {
    /// The URI naming the kind of problem.
    public var type: String
    /// The short summary.
    public var title: String
    /// The HTTP status code.
    public var status: Int
    /// Details for this occurrence.
    public var detail: String?
    /// The request path.
    public var instance: String?
    /// The stable code.
    public var code: String
    /// The request field at fault.
    public var field: String?
    /// The request id, for support.
    public var requestId: String?

    /// The body of `problem` for a request.
    public init(_ problem: Problem, instance: String?, requestID: String?) {
        type = problem.typeURI
        title = problem.title
        status = Int(problem.status.code)
        detail = problem.detail
        self.instance = instance
        code = problem.code
        field = problem.field
        requestId = requestID
    }
}

extension Problem {
    /// The problem a response carried: its body, with the response's headers (`Retry-After`, `WWW-Authenticate`…).
    ///
    /// A status outside 100–599 (a broken or hostile peer) reads as 502: the peer, not this request, went wrong.
    public init(_ document: ProblemDocument, headers: HTTPFields = [:]) {
        let status = (100...599).contains(document.status) ? HTTPResponse.Status(code: document.status) : .badGateway
        self.init(status, code: document.code, title: document.title, detail: document.detail, field: document.field, headers: headers)
    }
}
