import Foundation
import Kernel

/// Working time of the support desk: its time zone, its weekly hours and the production calendar.
///
/// Every computation walks whole local days (one or two `Calendar` conversions per working day), never minutes,
/// so a target of a few days costs microseconds. Local wall-clock times become instants through a Gregorian
/// `Calendar` in ``timeZone``, so a day that gains or loses an hour to daylight saving counts its real length.
/// Round-the-clock hours ignore the calendar entirely: every instant counts.
public struct WorkingCalendar: Sendable {
    /// The zone the hours and the calendar's days are in.
    public let timeZone: TimeZone
    /// The weekly hours.
    public let hours: WorkingHours
    /// Holidays and moved days.
    public let production: ProductionCalendar
    private let calendar: Calendar

    /// The longest run of days searched for working time before giving up (a schedule with no working day).
    static let searchLimitDays = 3 * 366

    /// Creates the calendar.
    public init(timeZone: TimeZone, hours: WorkingHours, production: ProductionCalendar) {
        self.timeZone = timeZone
        self.hours = hours
        self.production = production
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// Every instant counts, in `timeZone`.
    public static func roundTheClock(in timeZone: TimeZone) -> WorkingCalendar {
        WorkingCalendar(timeZone: timeZone, hours: .roundTheClock, production: .weekendsOnly)
    }

    /// The local day `instant` falls on.
    public func day(of instant: Date) -> LocalDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// The working interval of local day `day` in wall-clock minutes, if it is worked: its weekday's hours, none on
    /// a public holiday or a moved day off, ``WorkingHours/standardDay`` on a moved working day whose weekday has no
    /// hours, and one hour shorter on a shortened day (an interval of an hour or less then vanishes).
    public func workingMinutes(on day: LocalDate) -> DailyInterval? {
        if hours.isRoundTheClock { return DailyInterval(startMinute: 0, endMinute: 1440) }
        let interval: DailyInterval?
        let shortened: Bool
        switch production.kind(of: day) {
        case .nonWorking:
            return nil
        case .weekend(let short):
            interval = hours.intervals[day.weekday]
            shortened = short
        case .working(let short):
            interval = hours.intervals[day.weekday] ?? (day.weekday.isWeekend ? hours.standardDay : nil)
            shortened = short
        }
        guard let interval, shortened else { return interval }
        return DailyInterval(startMinute: interval.startMinute, endMinute: interval.endMinute - 60)
    }

    /// The working interval of local day `day` as instants, `[start, end)`, if it is worked and not empty.
    public func workingInterval(on day: LocalDate) -> (start: Date, end: Date)? {
        guard let minutes = workingMinutes(on: day) else { return nil }
        let start = instant(day, minute: minutes.startMinute)
        let end = instant(day, minute: minutes.endMinute)
        return start < end ? (start, end) : nil
    }

    /// Whether `instant` is inside working time.
    public func isWorking(at instant: Date) -> Bool {
        if hours.isRoundTheClock { return true }
        guard let interval = workingInterval(on: day(of: instant)) else { return false }
        return interval.start <= instant && instant < interval.end
    }

    /// The earliest working instant at or after `instant` (`instant` itself when it is working);
    /// `Date.distantFuture` when the schedule has no working time within three years.
    public func nextWorkingInstant(after instant: Date) -> Date {
        if hours.isRoundTheClock { return instant }
        var current = day(of: instant)
        for _ in 0..<Self.searchLimitDays {
            if let interval = workingInterval(on: current), instant < interval.end { return max(instant, interval.start) }
            current = current.adding(days: 1)
        }
        return .distantFuture
    }

    /// The instant at which `workingSeconds` of working time have passed since `start`: `start` itself for zero
    /// (or less), otherwise the end of the last counted working second, so it may be the end of a working interval
    /// but is never inside non-working time. `Date.distantFuture` when the schedule cannot supply the amount
    /// within three years of working-time search.
    public func adding(workingSeconds: Int, to start: Date) -> Date {
        guard workingSeconds > 0 else { return start }
        if hours.isRoundTheClock { return start.addingTimeInterval(TimeInterval(workingSeconds)) }
        var remaining = TimeInterval(workingSeconds)
        var current = day(of: start)
        var idleDays = 0
        while idleDays < Self.searchLimitDays {
            if let interval = workingInterval(on: current), start < interval.end {
                let from = max(start, interval.start)
                let available = interval.end.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
                idleDays = 0
            } else {
                idleDays += 1
            }
            current = current.adding(days: 1)
        }
        return .distantFuture
    }

    /// Working seconds between two instants, rounded to the nearest second; negative when `end` is before `start`.
    public func workingSeconds(from start: Date, to end: Date) -> Int {
        if end < start { return -workingSeconds(from: end, to: start) }
        if hours.isRoundTheClock { return Int(end.timeIntervalSince(start).rounded()) }
        let lastDay = day(of: end)
        var current = day(of: start)
        var total: TimeInterval = 0
        while current <= lastDay {
            if let interval = workingInterval(on: current) {
                let overlap = min(interval.end, end).timeIntervalSince(max(interval.start, start))
                if overlap > 0 { total += overlap }
            }
            current = current.adding(days: 1)
        }
        return Int(total.rounded())
    }

    private func instant(_ day: LocalDate, minute: Int) -> Date {
        if minute == 1440 { return instant(day.adding(days: 1), minute: 0) }
        let parts = DateComponents(year: day.year, month: day.month, day: day.day, hour: minute / 60, minute: minute % 60)
        return calendar.date(from: parts)!
    }
}
