/// One money-moving request as the idempotency store sees it: where its key lives, the key, and what was asked.
public struct IdempotentRequest: Sendable, Hashable {
    /// The longest key accepted, in characters (Stripe's limit).
    public static let maximumKeyLength = 255

    /// The namespace of the key, such as `billing.pay:<userID>`, so two clients' keys never collide.
    public var scope: String
    /// The client's `Idempotency-Key`.
    public var key: String
    /// What was asked: a digest of the caller, the route and the canonical body (the gateway makes it), compared
    /// as it is.
    public var fingerprint: String

    /// Creates a request; ``validate()`` (and ``IdempotencyKeys/perform(_:saveFailure:operation:)``) check it.
    public init(scope: String, key: String, fingerprint: String) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
    }

    /// Throws ``IdempotencyError/invalidKey(_:)`` when the key is empty, longer than 255 characters or holds a
    /// control character, or when the scope is empty or longer than 255 characters.
    public func validate() throws(IdempotencyError) {
        if key.isEmpty { throw .invalidKey("the idempotency key is empty") }
        if key.count > Self.maximumKeyLength {
            throw .invalidKey("the idempotency key is longer than \(Self.maximumKeyLength) characters")
        }
        if key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .invalidKey("the idempotency key holds a control character")
        }
        if scope.isEmpty || scope.count > Self.maximumKeyLength {
            throw .invalidKey("the idempotency scope must be 1 to \(Self.maximumKeyLength) characters")
        }
    }
}

/// The answer saved for a key and replayed to every retry: an HTTP-like status and a JSON body.
public struct SavedResult: Codable, Sendable, Hashable {
    /// The status to answer with, such as 201 or 402.
    public var status: Int
    /// The body to answer with, as JSON text.
    public var body: String

    /// Creates a result.
    public init(status: Int, body: String) {
        self.status = status
        self.body = body
    }
}

/// What ``IdempotencyKeys/perform(_:saveFailure:operation:)`` did: ran the operation now, or found its saved answer.
public enum IdempotencyOutcome<Value> {
    /// The operation ran now and committed; its value.
    case executed(Value)
    /// An earlier request with this key and fingerprint completed; its saved answer.
    case replayed(SavedResult)
}

extension IdempotencyOutcome: Sendable where Value: Sendable {}
extension IdempotencyOutcome: Equatable where Value: Equatable {}
extension IdempotencyOutcome: Hashable where Value: Hashable {}

/// Why an idempotent request was not run.
public enum IdempotencyError: Error, Sendable, Hashable {
    /// Another request with this key is running (HTTP 409); retry later.
    case keyInProgress
    /// This key was used for a request with another fingerprint (HTTP 422).
    case keyReusedWithDifferentRequest
    /// The key or scope cannot be used (HTTP 400); the text says why.
    case invalidKey(String)
}
