import Foundation

/// Reads an HTTP `Retry-After` value: delay seconds, or an HTTP date (RFC 9110 §10.2.3).
enum RetryAfter {
    /// The delay `value` asks for, measured from `now` when it is a date; `nil` when absent or unreadable.
    static func parse(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return .seconds(max(seconds, 0)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(max(Int((date.timeIntervalSince(now) * 1000).rounded()), 0))
    }
}
