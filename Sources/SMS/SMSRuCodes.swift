import Foundation

/// SMS.ru's status codes (its documentation's list) and what each means for a sender.
enum SMSRuCodes {
    /// Codes after which the same message can go later unchanged: no money on the account (201), the account's daily
    /// limit (206), the service down (220), per-number limits (230–233), a server error (500).
    static let retryable: Set<Int> = [201, 206, 220, 230, 231, 232, 233, 500]
    /// Codes of messages that will not be delivered (104–108: expired, deleted by the operator, phone failure,
    /// unknown reason, rejected; 150: no route).
    static let undeliverable: Set<Int> = [104, 105, 106, 107, 108, 150]

    /// A `status_code`, given as a number or as text; 0 when missing.
    static func code(_ value: Any?) -> Int {
        if let number = value as? NSNumber { return number.intValue }
        if let text = value as? String, let number = Int(text) { return number }
        return 0
    }

    /// An amount in roubles (a JSON number or text) in kopecks.
    static func kopecks(_ value: Any?) -> Int? {
        let roubles: Double? =
            if let number = value as? NSNumber { number.doubleValue } else if let text = value as? String { Double(text) } else { nil }
        return roubles.map { Int(($0 * 100).rounded()) }
    }

    /// The outcome of a refusal with `code`.
    static func failure(code: Int, text: String) -> SMSOutcome {
        let reason = text.isEmpty ? "SMS.ru code \(code)" : text
        if retryable.contains(code) { return .retryLater(code: String(code), reason: reason, after: nil) }
        return .refused(code: String(code), reason: reason)
    }

    /// A message's status from `/sms/status`.
    static func deliveryStatus(code: Int, text: String, cost: Any?) -> SMSDeliveryStatus {
        switch code {
        case -1: .unknown
        case 100, 101: .pending(code: String(code), text: text)
        case 102: .sent(code: String(code), text: text)
        case 103, 110: .delivered(costKopecks: kopecks(cost))
        case let code where undeliverable.contains(code): .failed(code: String(code), reason: text)
        default: .pending(code: String(code), text: text)
        }
    }
}
