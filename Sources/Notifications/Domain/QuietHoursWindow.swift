import Contracts
import Foundation

/// Quiet hours in a person's time zone: when a moment falls inside them, the moment they end.
struct QuietHoursWindow: Sendable {
    let from: Int
    let to: Int
    let zone: TimeZone

    /// The window of `hours` in `zone`; nil when there are none (or they do not parse, which the API prevents).
    init?(_ hours: QuietHours?, zone: TimeZone) {
        guard let hours, let from = Self.minutes(hours.from), let to = Self.minutes(hours.to), from != to else { return nil }
        self.from = from
        self.to = to
        self.zone = zone
    }

    /// Minutes since midnight of `HH:MM`.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// When what is due at `now` may be sent: `now` outside the window, the window's end inside it.
    func release(at now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: now)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let inside = from < to ? (minute >= from && minute < to) : (minute >= from || minute < to)
        guard inside else { return now }
        let midnight = calendar.startOfDay(for: now)
        var end = calendar.date(byAdding: .minute, value: to, to: midnight) ?? now
        if end <= now { end = calendar.date(byAdding: .day, value: 1, to: end) ?? now }
        return end
    }
}
