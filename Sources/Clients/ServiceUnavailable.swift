import Contracts

/// Another LastMile service could not be reached within the call's deadline, or answered with something that is
/// not its API (a proxy's error page): answered to the public as 503 with `Retry-After`, naming no internals.
public struct ServiceUnavailable: Error, Sendable, Equatable, CustomStringConvertible, ProblemConvertible {
    /// The service that could not be reached.
    public var service: String
    /// Why, for logs.
    public var reason: String

    /// Creates the error.
    public init(service: String, reason: String) {
        self.service = service
        self.reason = reason
    }

    /// A one-line summary for logs.
    public var description: String { "\(service) unavailable: \(reason)" }

    /// 503 with `Retry-After`.
    public var problem: Problem? { .unavailable("A part of the service is unavailable; try again shortly") }
}
