import Kernel

extension LocalDate {
    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (index 3 counting from Monday).
        let index = ((dayNumber + 3) % 7 + 7) % 7
        return Weekday.allCases[index]
    }
}

/// A day of the week, Monday first as in Russia.
public enum Weekday: String, CaseIterable, Sendable, Hashable, Comparable {
    /// Monday.
    case monday = "mon"
    /// Tuesday.
    case tuesday = "tue"
    /// Wednesday.
    case wednesday = "wed"
    /// Thursday.
    case thursday = "thu"
    /// Friday.
    case friday = "fri"
    /// Saturday.
    case saturday = "sat"
    /// Sunday.
    case sunday = "sun"

    /// Whether it is Saturday or Sunday, the days off of the five-day week.
    public var isWeekend: Bool { self == .saturday || self == .sunday }

    /// 0 for Monday … 6 for Sunday.
    public var index: Int { Self.allCases.firstIndex(of: self)! }

    /// Orders Monday first.
    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.index < rhs.index }
}
