/// What a push service answered.
public enum WebPushOutcome: Sendable, Equatable {
    /// Accepted for delivery (201).
    case delivered
    /// The subscription no longer exists (404, 410): delete it and never push to it again.
    case subscriptionGone
    /// Too many requests or a failure of the push service (429, 5xx): try again, after the delay when it gave one
    /// (`Retry-After`).
    case retry(after: Duration?)
    /// Refused for good (any other 4xx; 413 when the body is too large): `reason` is the start of its answer.
    case refused(status: Int, reason: String)
}
