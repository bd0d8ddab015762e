import Foundation
import Kernel

/// Which days are worked under the five-day week: the recurring public holidays, the days the Government or the
/// operator moved, and the shortened pre-holiday days.
///
/// A day is decided in this order: an explicit ``DayMark`` (the operator's, then the built-in decrees'); a recurring
/// public holiday (non-working); the first weekday left off because a recurring public holiday outside January fell
/// on the weekend just before it (Labour Code art. 112 part 2), in years without a recorded decree only, since a decree settles
/// those moves itself; otherwise Saturday and Sunday are the weekend and the rest are worked. A day immediately
/// before a public holiday is one hour shorter (art. 95), as is any day marked ``DayMark/shortWorkingDay``.
///
/// When an operator enters a new year's decree and it moves a weekend holiday somewhere other than the next
/// weekday, that weekday must also be entered as `work`, since the automatic move still applies to that year.
/// Holidays the operator marks (e.g. a regional one) never move by themselves: enter the moved day too.
public struct ProductionCalendar: Sendable, Equatable {
    /// The public holidays recurring every year, as (month, day).
    public var recurringHolidays: Set<MonthDay>
    /// Days set explicitly; they win over every rule.
    public var marks: [LocalDate: DayMark]
    /// Years whose Government decree on moved days is recorded in ``marks``: the automatic art. 112 move is off.
    public var decreedYears: Set<Int>

    /// A calendar with the given rules.
    public init(recurringHolidays: Set<MonthDay>, marks: [LocalDate: DayMark] = [:], decreedYears: Set<Int> = []) {
        self.recurringHolidays = recurringHolidays
        self.marks = marks
        self.decreedYears = decreedYears
    }

    /// Saturday and Sunday off, no holidays.
    public static let weekendsOnly = ProductionCalendar(recurringHolidays: [])

    /// What kind of day `day` is.
    public func kind(of day: LocalDate) -> DayKind {
        let shortened = isBeforePublicHoliday(day)
        if let mark = marks[day] {
            switch mark {
            case .holiday, .dayOff: return .nonWorking
            case .workingDay: return .working(shortened: shortened)
            case .shortWorkingDay: return .working(shortened: true)
            }
        }
        if recurringHolidays.contains(MonthDay(day)) || isMovedByLaw(day) { return .nonWorking }
        return day.weekday.isWeekend ? .weekend(shortened: shortened) : .working(shortened: shortened)
    }

    /// Whether `day` is a public holiday: a recurring one, or one marked ``DayMark/holiday`` (not a mere day off).
    public func isPublicHoliday(_ day: LocalDate) -> Bool {
        if let mark = marks[day] { return mark == .holiday }
        return recurringHolidays.contains(MonthDay(day))
    }

    /// This calendar with the operator's entries applied over it (see ``DayMark/parseEntries(_:)`` for the form).
    public func applying(settings text: String) throws(CalendarSettingsError) -> ProductionCalendar {
        var result = self
        for (day, mark) in try DayMark.parseEntries(text) { result.marks[day] = mark }
        return result
    }

    private func isBeforePublicHoliday(_ day: LocalDate) -> Bool { isPublicHoliday(day.adding(days: 1)) }

    /// Art. 112 part 2: a weekend coinciding with a public holiday outside January moves to the next working day.
    private func isMovedByLaw(_ day: LocalDate) -> Bool {
        guard !decreedYears.contains(day.year), !day.weekday.isWeekend, !recurringHolidays.isEmpty else { return false }
        // Walk back over the run of days off just before `day`; the first working day after it takes the move.
        var previous = day.adding(days: -1)
        for _ in 0..<7 {
            let weekend = previous.weekday.isWeekend
            let holiday = isPublicHoliday(previous)
            guard weekend || holiday || marks[previous] == .dayOff else { return false }
            if weekend, holiday, previous.month != 1, marks[previous] == nil { return true }
            previous = previous.adding(days: -1)
        }
        return false
    }
}

/// A day of the year regardless of the year.
public struct MonthDay: Hashable, Sendable {
    /// 1…12.
    public let month: Int
    /// 1…31.
    public let day: Int

    /// Creates it.
    public init(month: Int, day: Int) {
        self.month = month
        self.day = day
    }

    /// The month and day of `date`.
    public init(_ date: LocalDate) { self.init(month: date.month, day: date.day) }
}

/// What a day is, for the working calendar.
public enum DayKind: Sendable, Equatable {
    /// A working day of the five-day week (a weekday, or a weekend day worked by a move); `shortened` when it is one
    /// hour shorter.
    case working(shortened: Bool)
    /// An ordinary Saturday or Sunday: off in the five-day week, but a desk with weekend hours works it;
    /// `shortened` when a public holiday follows.
    case weekend(shortened: Bool)
    /// Not worked by anyone: a public holiday or a moved day off.
    case nonWorking
}

/// An explicit verdict on one day, from a decree or from the operator.
public enum DayMark: String, Sendable, Equatable, CaseIterable {
    /// A non-working public holiday; the working day before it is shortened.
    case holiday
    /// A non-working day that is not a holiday (a moved day off).
    case dayOff = "off"
    /// A working day, even on a weekend (a moved working day); shortened if a public holiday follows.
    case workingDay = "work"
    /// A working day one hour shorter, e.g. a moved working Saturday that takes the place of a pre-holiday day.
    case shortWorkingDay = "short"

    /// Parses entries `YYYY-MM-DD kind` or `YYYY-MM-DD..YYYY-MM-DD kind` separated by `;`, `,` or new lines, where
    /// kind is `holiday`, `off`, `work` or `short`; e.g. `2027-01-08 off; 2027-11-13 work; 2027-06-21 holiday`.
    /// A later entry for the same day wins. Errors name the entry.
    public static func parseEntries(_ text: String) throws(CalendarSettingsError) -> [(LocalDate, DayMark)] {
        var result: [(LocalDate, DayMark)] = []
        let entries = text.split(whereSeparator: { $0 == ";" || $0 == "," || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for entry in entries {
            let words = entry.split(whereSeparator: \.isWhitespace)
            guard words.count == 2 else { throw .malformedEntry(entry) }
            guard let mark = DayMark(rawValue: words[1].lowercased()) else { throw .unknownKind(String(words[1]), entry: entry) }
            let ends = words[0].split(separator: ".", omittingEmptySubsequences: false)
            let range: (LocalDate, LocalDate)
            if ends.count == 1, let day = LocalDate(String(ends[0])) {
                range = (day, day)
            } else if ends.count == 3, ends[1].isEmpty, let first = LocalDate(String(ends[0])), let last = LocalDate(String(ends[2])) {
                range = (first, last)
            } else {
                throw .badDate(String(words[0]), entry: entry)
            }
            let length = range.1.dayNumber - range.0.dayNumber
            guard length >= 0, length < 366 else { throw .badDate(String(words[0]), entry: entry) }
            for offset in 0...length { result.append((range.0.adding(days: offset), mark)) }
        }
        return result
    }
}

/// Why the operator's calendar entries did not parse; each case names the offending entry.
public enum CalendarSettingsError: Error, Equatable, CustomStringConvertible {
    /// An entry is not `date kind`.
    case malformedEntry(String)
    /// The date or range does not exist, runs backwards, or spans more than a year.
    case badDate(String, entry: String)
    /// The kind is not one of `holiday`, `off`, `work`, `short`.
    case unknownKind(String, entry: String)

    /// The message for an operator.
    public var description: String {
        switch self {
        case .malformedEntry(let entry): "`\(entry)` is not `YYYY-MM-DD kind` (kind: holiday, off, work, short)"
        case .badDate(let date, let entry):
            "`\(date)` in `\(entry)` is not a day YYYY-MM-DD or a forward range YYYY-MM-DD..YYYY-MM-DD within a year"
        case .unknownKind(let kind, let entry): "`\(kind)` in `\(entry)` is not one of holiday, off, work, short"
        }
    }
}
