import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Fast ISO 8601 formatting of response dates (`2026-11-27T08:09:55Z`, or with milliseconds when they are not
/// zero): Foundation's formatter dominated the cost of encoding small responses.
public enum JSONDates {
    /// The UTC calendar fields of an instant, as ``format(_:)`` writes them: whole milliseconds (rounded), `nil`
    /// when there are none.
    public struct Parts: Sendable, Equatable {
        /// Four-digit year.
        public var year: Int
        /// 1…12.
        public var month: Int
        /// 1…31.
        public var day: Int
        /// 0…23.
        public var hour: Int
        /// 0…59.
        public var minute: Int
        /// 0…60.
        public var second: Int
        /// 1…999, or nil for none.
        public var millisecond: Int?
    }

    /// The fields of `date` in UTC.
    public static func parts(of date: Date) -> Parts {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millis = Int(((interval - Double(seconds)) * 1000).rounded())
        if millis == 1000 { seconds += 1 }
        var fields = tm()
        gmtime_r(&seconds, &fields)
        return Parts(
            year: Int(fields.tm_year) + 1900, month: Int(fields.tm_mon) + 1, day: Int(fields.tm_mday), hour: Int(fields.tm_hour),
            minute: Int(fields.tm_min), second: Int(fields.tm_sec), millisecond: millis > 0 && millis < 1000 ? millis : nil)
    }

    /// Formats `date` in UTC.
    public static func format(_ date: Date) -> String {
        let parts = parts(of: date)
        var text = ""
        text.reserveCapacity(24)
        append(parts.year, width: 4, to: &text)
        text += "-"
        append(parts.month, width: 2, to: &text)
        text += "-"
        append(parts.day, width: 2, to: &text)
        text += "T"
        append(parts.hour, width: 2, to: &text)
        text += ":"
        append(parts.minute, width: 2, to: &text)
        text += ":"
        append(parts.second, width: 2, to: &text)
        if let millisecond = parts.millisecond {
            text += "."
            append(millisecond, width: 3, to: &text)
        }
        text += "Z"
        return text
    }

    /// The encoding strategy that uses ``format(_:)``.
    public static let strategy = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(format(date))
    }

    private static func append(_ value: Int, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
        text += digits
    }
}
