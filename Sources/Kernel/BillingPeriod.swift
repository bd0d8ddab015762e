import Foundation

/// A billing period: one calendar month, written `2026-12`.
///
/// The period itself is a calendar label with no time zone; its instants (``start(in:)``, ``end(in:)``) are
/// computed in the operator's time zone, by default ``Foundation/TimeZone/moscow``. Day counts use
/// ``LocalDate`` arithmetic and need no time zone at all.
public struct BillingPeriod: Hashable, Sendable, Comparable, Codable, LosslessStringConvertible {
    /// The year, 1...9999.
    public let year: Int
    /// The month, 1...12.
    public let month: Int

    /// Creates a period; `nil` outside years 1...9999 and months 1...12.
    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM` with exactly four and two digits; rejects `2026-13`, `26-01` and `2026-1`.
    public init?(_ description: String) {
        let parts = description.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            let year = LocalDate.digits(parts[0]), let month = LocalDate.digits(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    /// The period the instant falls in, in `timeZone`.
    public static func containing(_ instant: Date, in timeZone: TimeZone = .moscow) -> BillingPeriod {
        LocalDate(containing: instant, in: timeZone).period
    }

    /// The period the day falls in.
    public static func containing(_ day: LocalDate) -> BillingPeriod { day.period }

    /// `YYYY-MM`.
    public var description: String { LocalDate.pad(year, 4) + "-" + LocalDate.pad(month, 2) }

    /// The number of days: 28, 29, 30 or 31.
    public var dayCount: Int { LocalDate.daysIn(year: year, month: month) }

    /// The first day of the month.
    public var firstDay: LocalDate { LocalDate(year: year, month: month, day: 1)! }

    /// The last day of the month.
    public var lastDay: LocalDate { LocalDate(year: year, month: month, day: dayCount)! }

    /// The first day after the month (the first day of ``next``): the exclusive end of the period's days.
    public var endDay: LocalDate { lastDay.adding(days: 1) }

    /// The following month.
    public var next: BillingPeriod {
        month == 12 ? BillingPeriod(year: year + 1, month: 1)! : BillingPeriod(year: year, month: month + 1)!
    }

    /// The preceding month.
    public var previous: BillingPeriod {
        month == 1 ? BillingPeriod(year: year - 1, month: 12)! : BillingPeriod(year: year, month: month - 1)!
    }

    /// The instant the period starts: 00:00 on the 1st in `timeZone` (inclusive).
    public func start(in timeZone: TimeZone = .moscow) -> Date { firstDay.start(in: timeZone) }

    /// The instant the period ends: 00:00 on the 1st of the next month in `timeZone` (exclusive).
    public func end(in timeZone: TimeZone = .moscow) -> Date { endDay.start(in: timeZone) }

    /// Whether the instant falls in the period, in `timeZone`.
    public func contains(_ instant: Date, in timeZone: TimeZone = .moscow) -> Bool {
        instant >= start(in: timeZone) && instant < end(in: timeZone)
    }

    /// Whether the day falls in the period.
    public func contains(_ day: LocalDate) -> Bool { day.year == year && day.month == month }

    /// How many of the period's days the half-open range of days `[from, to)` covers; `to == nil` means open-ended.
    ///
    /// `from` is the first day counted and `to` the first day not counted: a subscription from 2026-12-31 with no
    /// end covers 1 day of December; a pause `[2026-12-25, 2027-01-05)` covers 7 days of December and 4 of January.
    /// An empty or reversed range covers 0 days.
    public func overlapDays(from: LocalDate, to: LocalDate?) -> Int {
        let lower = max(from, firstDay)
        let upper = min(to ?? endDay, endDay)
        return max(0, lower.days(to: upper))
    }

    /// How many of the period's days the instants `[from, to)` cover in `timeZone`.
    ///
    /// Each instant is mapped to the day it falls on, then ``overlapDays(from:to:)-(LocalDate,LocalDate?)`` counts
    /// whole days: the day of `from` counts and the day of `to` does not, so a change at 15:00 on the 10th gives
    /// the 10th to the new state. Consecutive ranges therefore never share or lose a day.
    public func overlapDays(from: Date, to: Date?, in timeZone: TimeZone = .moscow) -> Int {
        overlapDays(from: LocalDate(containing: from, in: timeZone), to: to.map { LocalDate(containing: $0, in: timeZone) })
    }

    /// Orders periods in time.
    public static func < (lhs: BillingPeriod, rhs: BillingPeriod) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    /// Decodes `YYYY-MM`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let period = BillingPeriod(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a YYYY-MM period: \(text)")
        }
        self = period
    }

    /// Encodes `YYYY-MM`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
