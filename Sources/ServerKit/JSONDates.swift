import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Fast ISO 8601 formatting of response dates (`2026-11-27T08:09:55Z`, or with milliseconds when they are not
/// zero): Foundation's formatter dominated the cost of encoding small responses.
public enum JSONDates {
    /// Formats `date` in UTC.
    public static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millis = Int(((interval - Double(seconds)) * 1000).rounded())
        if millis == 1000 { seconds += 1 }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = ""
        text.reserveCapacity(24)
        append(Int(parts.tm_year) + 1900, width: 4, to: &text)
        text += "-"
        append(Int(parts.tm_mon) + 1, width: 2, to: &text)
        text += "-"
        append(Int(parts.tm_mday), width: 2, to: &text)
        text += "T"
        append(Int(parts.tm_hour), width: 2, to: &text)
        text += ":"
        append(Int(parts.tm_min), width: 2, to: &text)
        text += ":"
        append(Int(parts.tm_sec), width: 2, to: &text)
        if millis > 0 && millis < 1000 {
            text += "."
            append(millis, width: 3, to: &text)
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
