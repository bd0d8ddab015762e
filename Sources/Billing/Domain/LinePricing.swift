import Kernel

/// A priced invoice line (or a part of a period, for credits), in minor units.
public struct PricedLine: Sendable, Hashable {
    /// The subscription.
    public var subscriptionID: String
    /// The tariff of the last day charged.
    public var tariffID: String
    /// Days charged.
    public var days: Int
    /// Days in the period.
    public var periodDays: Int
    /// Amount, VAT included.
    public var amount: Int64
    /// VAT within the amount.
    public var vat: Int64
    /// The VAT rate in percent, `nil` when exempt.
    public var vatRatePercent: Int?
    /// Description of the line.
    public var description: LocalizedText
}

/// Prices a subscription's days of a period.
///
/// The period's service days are those from the start to the end of service, minus pauses. They are cut into pieces
/// where the tariff changes, its price changes, or a pause or suspension begins or ends; each piece is charged by
/// ``Proration/prorate(_:from:to:in:)`` (the cumulative rule, so pieces that make up a month sum to the monthly price
/// exactly) at the tariff's price in force on the piece's first day. VAT is extracted from each piece at the rate of the period's first day (the tax
/// date of a monthly charge).
public enum LinePricing {
    /// The line for `period`, or `nil` when no day of it is charged.
    public static func line(
        for terms: SubscriptionTerms, in period: BillingPeriod, tariffs: [String: PricedTariff], currency: Currency,
        within window: SubscriptionTerms.DayRange? = nil
    ) throws -> PricedLine? {
        var lower = max(terms.startsOn, period.firstDay)
        var upper = min(terms.endsOn.map { $0.adding(days: 1) } ?? period.endDay, period.endDay)
        if let window {
            lower = max(lower, window.from)
            upper = min(upper, window.before)
        }
        guard lower < upper else { return nil }
        var cuts: Set<LocalDate> = [lower, upper]
        for segment in terms.tariffs where lower < segment.from && segment.from < upper { cuts.insert(segment.from) }
        for pause in terms.pauses {
            for day in [pause.from, pause.before] where lower < day && day < upper { cuts.insert(day) }
        }
        // A price change of the tariff in force takes effect on its own day: the piece is cut there.
        for segment in terms.tariffs {
            for price in tariffs[segment.tariffID]?.prices ?? [] where lower < price.from && price.from < upper {
                if terms.tariff(on: price.from) == segment.tariffID { cuts.insert(price.from) }
            }
        }
        let points = cuts.sorted()
        var amount: Int64 = 0
        var vat: Int64 = 0
        var days = 0
        var rate: Int?
        var names: [PricedTariff] = []
        for (start, end) in zip(points, points.dropFirst()) where !terms.isPaused(on: start) {
            guard let tariffID = terms.tariff(on: start), let tariff = tariffs[tariffID], let price = tariff.price(on: start) else { continue }
            let piece = try Proration.prorate(Money(minorUnits: price, currency: currency), from: start, to: end, in: period)
            let split = try VATSplit(gross: piece, treatment: tariff.vat, taxDay: period.firstDay)
            amount += piece.minorUnits
            vat += split.vat.minorUnits
            days += start.days(to: end)
            if let applied = split.rate ?? tariff.vat.rate(onTaxDay: period.firstDay) {
                rate = Int(applied.numerator * 100 / applied.denominator)
            }
            if names.last?.id != tariff.id { names.append(tariff) }
        }
        guard let last = names.last, days > 0 else { return nil }
        let ru = names.map { "«\($0.nameRu)»" }.joined(separator: " → ")
        let en = names.map { "“\($0.nameEn)”" }.joined(separator: " → ")
        return PricedLine(
            subscriptionID: terms.id, tariffID: last.id, days: days, periodDays: period.dayCount, amount: amount, vat: vat,
            vatRatePercent: rate,
            description: LocalizedText(
                ru: "Тариф \(ru), \(period): \(days) из \(period.dayCount) дн.",
                en: "Tariff \(en), \(period): \(days) of \(period.dayCount) days"))
    }
}
