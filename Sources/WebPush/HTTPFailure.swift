import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// How a failed HTTP request is told: whether any byte of it left.
enum HTTPFailure {
    /// Whether `error` happened before the request was sent: connecting failed, or no connection of the pool came in
    /// time.
    static func neverSent(_ error: any Error) -> Bool {
        if error is NIOConnectionError { return true }
        if let error = error as? HTTPClientError, error == .connectTimeout || error == .getConnectionFromPoolTimeout { return true }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        if let error = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) { return true }
        return false
    }
}

/// The `Retry-After` header (RFC 9110 §10.2.3): seconds, or an HTTP date.
enum RetryAfter {
    /// The delay `value` asks for; nil when there is none or it cannot be read.
    static func parse(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .seconds(max(0, Int(date.timeIntervalSince(now).rounded(.up))))
    }
}
