import Foundation

/// Proration by days: the share of a monthly amount that a part of a billing period is charged.
///
/// Two rules, both exact in kopecks:
/// - ``prorate(_:days:of:)`` is the plain rule, `amount × days ÷ daysInPeriod` rounded half up.
/// - ``prorate(_:from:to:in:)`` charges a range of days by the *cumulative* rule
///   `round(amount × endOffset ÷ D) − round(amount × startOffset ÷ D)`, where the offsets count days from the
///   1st and `round` is half up. Ranges that partition the period (active + paused, before + after a change)
///   therefore sum to the full amount exactly, and the whole month is the full amount. It equals the plain rule
///   for every range that starts on the 1st, and differs from it by at most one kopeck otherwise.
public enum Proration {
    /// `amount × days ÷ period.dayCount`, rounded half up on kopecks (half away from zero when negative).
    /// `days` must lie in `0...period.dayCount`; the full month gives the amount exactly.
    public static func prorate(_ amount: Money, days: Int, of period: BillingPeriod) throws(MoneyError) -> Money {
        precondition((0...period.dayCount).contains(days), "\(days) days do not fit in \(period)")
        return try amount.multiplied(by: Int64(days), dividedBy: Int64(period.dayCount), rounding: .halfUp)
    }

    /// The charge for the days `[from, to)` of `period` (`to == nil`: open-ended), by the cumulative rule, so that
    /// consecutive ranges covering the period sum exactly to `amount`. Days outside the period are ignored; an
    /// empty range charges zero.
    public static func prorate(_ amount: Money, from: LocalDate, to: LocalDate?, in period: BillingPeriod) throws(MoneyError) -> Money {
        let dayCount = Int64(period.dayCount)
        let startOffset = Int64(clampedOffset(of: from, in: period))
        let endOffset = Int64(clampedOffset(of: to ?? period.endDay, in: period))
        guard endOffset > startOffset else { return .zero(amount.currency) }
        let upToEnd = try amount.multiplied(by: endOffset, dividedBy: dayCount, rounding: .halfUp)
        let upToStart = try amount.multiplied(by: startOffset, dividedBy: dayCount, rounding: .halfUp)
        return try upToEnd.subtracting(upToStart)
    }

    /// The charge for the instants `[from, to)` of `period` in `timeZone`: each instant is mapped to the day it falls
    /// on (the day of `from` counts, the day of `to` does not), then ``prorate(_:from:to:in:)`` applies.
    public static func prorate(
        _ amount: Money, from: Date, to: Date?, in period: BillingPeriod, timeZone: TimeZone = .moscow
    ) throws(MoneyError) -> Money {
        try prorate(
            amount, from: LocalDate(containing: from, in: timeZone), to: to.map { LocalDate(containing: $0, in: timeZone) },
            in: period)
    }

    /// Splits `amount` over consecutive ranges of `period` that start at each of `boundaries` (sorted days; the first
    /// range starts on the 1st, the last ends after the last day). The parts sum exactly to `amount`; part `i`
    /// equals ``prorate(_:from:to:in:)`` for its range.
    public static func split(_ amount: Money, at boundaries: [LocalDate], in period: BillingPeriod) throws(MoneyError) -> [Money] {
        precondition(zip(boundaries, boundaries.dropFirst()).allSatisfy { $0 <= $1 }, "boundaries must be sorted")
        var starts = [period.firstDay]
        starts.append(contentsOf: boundaries)
        var parts: [Money] = []
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1] : period.endDay
            parts.append(try prorate(amount, from: start, to: end, in: period))
        }
        return parts
    }

    private static func clampedOffset(of day: LocalDate, in period: BillingPeriod) -> Int {
        min(max(period.firstDay.days(to: day), 0), period.dayCount)
    }
}
