import HTTPTypes

extension Problem {
    /// 400 for a body or parameter that breaks a rule; names the field.
    public static func invalidField(_ field: String, _ detail: String) -> Problem {
        Problem(.badRequest, code: "invalid-field", title: "A field is invalid", detail: detail, field: field)
    }

    /// The `WWW-Authenticate` challenge sent with every 401 (RFC 9110 §11.6.1, RFC 6750 §3).
    public static func bearerChallenge(error: String? = nil) -> HTTPFields {
        var value = "Bearer realm=\"lastmile\""
        if let error { value += ", error=\"\(error)\"" }
        return [.wwwAuthenticate: value]
    }

    /// 401 with a `WWW-Authenticate` challenge.
    public static func unauthorized(_ detail: String = "Sign in to continue") -> Problem {
        Problem(.unauthorized, code: "unauthorized", title: "Authentication required", detail: detail, headers: bearerChallenge())
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
