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
        var fields: HTTPFields = [
            .rateLimitLimit: String(limit),
            .rateLimitRemaining: String(remaining),
            .rateLimitReset: String(resetSeconds),
            .rateLimitPolicy: "\(limit);w=\(windowSeconds)",
        ]
        if let retryAfter, !allowed {
            fields[.retryAfter] = String(max(1, retryAfter))
        }
        return fields
    }

    /// The 429 answer for a refusal, with `Retry-After` and the `RateLimit-*` headers.
    public var problem: Problem {
        var problem = Problem.tooManyRequests(retryAfter: retryAfter ?? resetSeconds)
        problem.headers.append(contentsOf: headers)
        problem.headers[.retryAfter] = String(max(1, retryAfter ?? resetSeconds))
        return problem
    }
}
