/// How a call to a payment provider failed, told by what it means for the money.
public enum ProviderError: Error, Sendable, Equatable {
    /// The provider refused the request and did nothing (a 4xx with its code); repeating it fails the same way.
    case refused(code: String, message: String)
    /// The request never reached the provider (connecting failed): nothing was done and it may be sent again.
    case unreachable(String)
    /// The request may or may not have been carried out (a timeout after sending, a 5xx, an answer we cannot read):
    /// ask the provider for the state later, or repeat it with the same idempotency key.
    case outcomeUnknown(String)
    /// The provider's answer or notification is not what its protocol says (a bad signature, a missing field).
    case invalidMessage(String)
}
