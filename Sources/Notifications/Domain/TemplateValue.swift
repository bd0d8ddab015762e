import Foundation
import Kernel

/// A value a notification shows, kept as it is and formatted for the reader's language and time zone when the
/// notification is rendered.
enum TemplateValue: Codable, Sendable, Hashable {
    /// Text shown as it is.
    case text(String)
    /// An amount: `1 234,56 ₽` in Russian, `RUB 1,234.56` in English.
    case money(Money)
    /// A calendar day: `20.12.2026` in Russian, `20 Dec 2026` in English.
    case date(LocalDate)
    /// A moment, shown in the reader's time zone.
    case instant(Date)
    /// A whole number.
    case number(Int)

    /// The value written for a reader of `locale` in `zone`.
    func formatted(locale: String, zone: TimeZone) -> String {
        let english = locale == "en"
        switch self {
        case .text(let text): return text
        case .money(let money): return money.formatted(locale: english ? .en : .ru)
        case .number(let number): return String(number)
        case .date(let day):
            return english
                ? "\(day.day) \(Self.englishMonths[day.month - 1]) \(day.year)"
                : String(format: "%02d.%02d.%04d", day.day, day.month, day.year)
        case .instant(let instant):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
            let (year, month, day, hour, minute) = (parts.year ?? 0, parts.month ?? 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0)
            return english
                ? String(format: "%d %@ %d, %02d:%02d", day, Self.englishMonths[month - 1], year, hour, minute)
                : String(format: "%02d.%02d.%04d %02d:%02d", day, month, year, hour, minute)
        }
    }

    private static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
