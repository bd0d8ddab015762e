import HTTPTypes

/// An error answered as `application/problem+json` (RFC 9457), as a value with no server framework in it.
///
/// Each service's errors say their own problem (``ProblemConvertible``); the HTTP layer only writes it out, and a client
/// in another process reads the same ``ProblemDocument`` back.
public struct Problem: Error, Sendable, Equatable {
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

    /// The prefix of every `type` URI; the code follows it.
    public static let typeURIPrefix = "https://lastmile.dev/problems/"

    /// The `type` URI that names this kind of problem.
    public var typeURI: String { Self.typeURIPrefix + code }
}

extension Problem: ProblemConvertible {
    /// A problem is its own answer.
    public var problem: Problem? { self }
}
