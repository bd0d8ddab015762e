/// Why nothing is known of a message's recipients. A gateway's refusal is an ``SMSOutcome`` instead.
public enum SMSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message cannot be sent as it is (no recipients, an empty text).
    case invalidMessage(String)
    /// The request never left (no connection): retry at no risk of sending twice.
    case unreachable(String)
    /// The request may have reached the gateway and no usable answer came: a retry may send the text twice.
    case outcomeUnknown(String)

    /// A sentence for logs; never holds credentials.
    public var description: String {
        switch self {
        case .invalidMessage(let reason): "the message cannot be sent: \(reason)"
        case .unreachable(let reason): "the SMS gateway was not reached: \(reason)"
        case .outcomeUnknown(let reason): "the SMS gateway's answer is unknown: \(reason)"
        }
    }
}
