import Contracts
import HTTPTypes

extension HTTPField.Name {
    /// `RateLimit-Limit` (IETF draft "RateLimit header fields for HTTP").
    public static let rateLimitLimit = HTTPField.Name("RateLimit-Limit")!
    /// `RateLimit-Remaining`.
    public static let rateLimitRemaining = HTTPField.Name("RateLimit-Remaining")!
    /// `RateLimit-Reset`: seconds until the quota is whole again.
    public static let rateLimitReset = HTTPField.Name("RateLimit-Reset")!
    /// `RateLimit-Policy`: `limit;w=window`.
    public static let rateLimitPolicy = HTTPField.Name("RateLimit-Policy")!
}

extension RateLimitDecision {
    /// The `RateLimit-*` headers that describe this decision.
    public var headers: HTTPFields {
        var fields = HTTPFields()
        appendHeaders(to: &fields)
        return fields
    }

    /// Appends the `RateLimit-*` headers (and `Retry-After` for a refusal) to `fields`, as ``headers`` has them.
    public func appendHeaders(to fields: inout HTTPFields) {
        fields.append(HTTPField(name: .rateLimitLimit, value: String(limit)))
        fields.append(HTTPField(name: .rateLimitRemaining, value: String(remaining)))
        fields.append(HTTPField(name: .rateLimitReset, value: String(resetSeconds)))
        fields.append(HTTPField(name: .rateLimitPolicy, value: "\(limit);w=\(windowSeconds)"))
        if let retryAfter, !allowed {
            fields[.retryAfter] = String(max(1, retryAfter))
        }
    }

    /// The 429 answer for a refusal, with `Retry-After` and the `RateLimit-*` headers.
    public var problem: Problem {
        var problem = Problem.tooManyRequests(retryAfter: retryAfter ?? resetSeconds)
        problem.headers.append(contentsOf: headers)
        problem.headers[.retryAfter] = String(max(1, retryAfter ?? resetSeconds))
        return problem
    }
}
