import Foundation

/// The desk's weekly schedule in local time: per weekday one working interval or none, or round the clock.
///
/// Parsed from a settings string (see ``init(parsing:)``): `24/7`, or groups separated by `;` such as
/// `mon-fri 09:00-18:00; sat 10:00-16:00`. A day not named is a day off. A day worked on a weekend by a government
/// transfer uses that weekday's interval when it has one, otherwise ``standardDay`` (the first working weekday's).
public struct WorkingHours: Sendable, Equatable, CustomStringConvertible {
    /// The interval of each working weekday; empty for round the clock.
    public let intervals: [Weekday: DailyInterval]
    /// Whether every instant counts, holidays included; ``intervals`` is then empty.
    public let isRoundTheClock: Bool

    /// Every instant of every day, holidays included.
    public static let roundTheClock = WorkingHours(intervals: [:], isRoundTheClock: true)

    /// Monday to Friday 09:00–18:00.
    public static let officeDays = WorkingHours(
        intervals: Dictionary(
            uniqueKeysWithValues: [Weekday.monday, .tuesday, .wednesday, .thursday, .friday].map {
                ($0, DailyInterval(startMinute: 9 * 60, endMinute: 18 * 60)!)
            }))

    /// A weekly schedule; at least one day must have an interval for the clock to ever run.
    public init(intervals: [Weekday: DailyInterval]) {
        self.init(intervals: intervals, isRoundTheClock: false)
    }

    private init(intervals: [Weekday: DailyInterval], isRoundTheClock: Bool) {
        self.intervals = intervals
        self.isRoundTheClock = isRoundTheClock
    }

    /// Parses the settings form: `24/7`, or `;`-separated groups of a day or a day range (`mon`, `mon-fri`,
    /// `sat-sun`) and an interval `HH:MM-HH:MM` (end up to `24:00`, after the start). Case and spaces are free;
    /// a day named twice is an error.
    public init(parsing text: String) throws(WorkingHoursError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if trimmed == "24/7" {
            self = .roundTheClock
            return
        }
        var intervals: [Weekday: DailyInterval] = [:]
        let groups = trimmed.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !groups.isEmpty else { throw .empty }
        for group in groups {
            let words = group.split(whereSeparator: \.isWhitespace)
            guard words.count == 2 else { throw .malformedGroup(group) }
            let days = try Self.days(String(words[0]), in: group)
            guard let interval = DailyInterval(parsing: words[1]) else { throw .badInterval(String(words[1]), group: group) }
            for day in days {
                guard intervals[day] == nil else { throw .dayRepeated(day.rawValue, group: group) }
                intervals[day] = interval
            }
        }
        self.init(intervals: intervals)
    }

    /// The interval of a working day moved onto a weekend when that weekday has none: the first working weekday's.
    public var standardDay: DailyInterval? {
        Weekday.allCases.lazy.compactMap { intervals[$0] }.first
    }

    /// The settings form, parseable by ``init(parsing:)``.
    public var description: String {
        if isRoundTheClock { return "24/7" }
        return Weekday.allCases.compactMap { day in intervals[day].map { "\(day.rawValue) \($0)" } }.joined(separator: "; ")
    }

    private static func days(_ word: String, in group: String) throws(WorkingHoursError) -> [Weekday] {
        let ends = word.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard ends.count <= 2 else { throw .badDays(word, group: group) }
        guard let first = Weekday(rawValue: ends[0]) else { throw .badDays(ends[0], group: group) }
        guard ends.count == 2 else { return [first] }
        guard let last = Weekday(rawValue: ends[1]) else { throw .badDays(ends[1], group: group) }
        guard first <= last else { throw .badDays(word, group: group) }
        return Weekday.allCases.filter { $0 >= first && $0 <= last }
    }
}

/// One day's working interval in local wall-clock minutes from midnight: `[startMinute, endMinute)`.
public struct DailyInterval: Sendable, Equatable, CustomStringConvertible {
    /// The first working minute, 0…1439.
    public let startMinute: Int
    /// The minute work stops, after the start, up to 1440 (`24:00`).
    public let endMinute: Int

    /// Creates the interval; `nil` unless `0 <= start < end <= 1440`.
    public init?(startMinute: Int, endMinute: Int) {
        guard startMinute >= 0, startMinute < endMinute, endMinute <= 1440 else { return nil }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Parses `HH:MM-HH:MM`.
    public init?(parsing text: some StringProtocol) {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let start = Self.minute(ends[0]), let end = Self.minute(ends[1]) else { return nil }
        self.init(startMinute: start, endMinute: end)
    }

    /// `HH:MM-HH:MM`.
    public var description: String { "\(Self.clock(startMinute))-\(Self.clock(endMinute))" }

    private static func minute(_ text: some StringProtocol) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60, hour < 24 || (hour == 24 && minute == 0)
        else { return nil }
        return hour * 60 + minute
    }

    private static func clock(_ minute: Int) -> String {
        let hours = minute / 60
        let minutes = minute % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
    }
}

/// Why a working-hours setting did not parse; each case names the offending part.
public enum WorkingHoursError: Error, Equatable, CustomStringConvertible {
    /// Nothing was given.
    case empty
    /// A group is not `days interval`.
    case malformedGroup(String)
    /// A day or day range is not understood (days are `mon` … `sun`, a range runs forwards).
    case badDays(String, group: String)
    /// An interval is not `HH:MM-HH:MM` with the end after the start.
    case badInterval(String, group: String)
    /// A day appears in two groups.
    case dayRepeated(String, group: String)

    /// The message for an operator.
    public var description: String {
        switch self {
        case .empty: "working hours are empty; use `24/7` or e.g. `mon-fri 09:00-18:00`"
        case .malformedGroup(let group): "`\(group)` is not `days HH:MM-HH:MM`"
        case .badDays(let days, let group): "`\(days)` in `\(group)` is not a day (mon…sun) or a forward range of days"
        case .badInterval(let interval, let group): "`\(interval)` in `\(group)` is not an interval HH:MM-HH:MM ending after it starts"
        case .dayRepeated(let day, let group): "`\(day)` is given twice (again in `\(group)`)"
        }
    }
}
