/// A money-moving request's `Idempotency-Key` and the fingerprint of what was asked.
///
/// The same key with the same fingerprint gets the first answer again; the same key with another
/// fingerprint is refused; a key whose first request is still running is refused as a conflict.
public struct IdempotencyToken: Sendable, Hashable, Codable {
    /// The client's key (1–255 printable ASCII characters).
    public var key: String
    /// A digest of the request (method, route and canonical body), computed by the caller.
    public var fingerprint: String

    /// Creates a token.
    public init(key: String, fingerprint: String) {
        self.key = key
        self.fingerprint = fingerprint
    }
}
