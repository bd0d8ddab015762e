/// Why a push message could not be tried, or why its fate is unknown. A push service's answer, even a refusal, is a
/// ``WebPushOutcome`` instead.
public enum WebPushError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The plaintext is longer than one push message can carry.
    case payloadTooLarge(bytes: Int, limit: Int)
    /// The options cannot be sent (a negative TTL, a topic outside RFC 8030's form).
    case invalidOptions(String)
    /// The message could not be encrypted (a key or salt that is not what it must be).
    case encryptionFailed(String)
    /// The request never left (no connection): it can be retried at no risk.
    case unreachable(String)
    /// The request may have reached the push service and no answer came (deadline, broken connection): a retry may
    /// show the message twice.
    case outcomeUnknown(String)

    /// A sentence for logs; it never holds keys or the endpoint's path.
    public var description: String {
        switch self {
        case .payloadTooLarge(let bytes, let limit): "the payload is \(bytes) bytes, more than the \(limit) a push message carries"
        case .invalidOptions(let reason): "the options cannot be sent: \(reason)"
        case .encryptionFailed(let reason): "the payload could not be encrypted: \(reason)"
        case .unreachable(let reason): "the push service was not reached: \(reason)"
        case .outcomeUnknown(let reason): "the push service did not answer: \(reason)"
        }
    }
}
