/// One operation of a service's internal HTTP API: `POST /internal/v1/<service>/<name>` with `Input` as the JSON body
/// and `Output` as the JSON answer.
///
/// The service's routes and the client in another process both use the same value, so the path, the body and the
/// answer cannot drift apart.
public struct RemoteOperation<Input: Codable & Sendable, Output: Codable & Sendable>: Sendable {
    /// The service that answers it (`billing`).
    public let service: String
    /// The operation's name, unique within the service (`pay`).
    public let name: String
    /// Whether a call may be sent again after a failure that left its outcome unknown: reads, and writes that carry
    /// an idempotency key. Anything else is sent once.
    public let repeatable: Bool

    /// Declares an operation.
    public init(service: String, name: String, repeatable: Bool) {
        self.service = service
        self.name = name
        self.repeatable = repeatable
    }

    /// The path it is served at.
    public var path: String { "/internal/v1/\(service)/\(name)" }

    /// An operation that may be sent again after a failure: a read, or a write under an idempotency key.
    public static func repeatable(_ service: String, _ name: String) -> Self {
        Self(service: service, name: name, repeatable: true)
    }

    /// An operation sent once.
    public static func once(_ service: String, _ name: String) -> Self {
        Self(service: service, name: name, repeatable: false)
    }
}

/// The body of an operation that takes nothing, or the answer of one that returns nothing.
public struct NoContent: Codable, Sendable, Hashable {
    /// The empty value.
    public init() {}
}
