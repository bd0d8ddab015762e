import Foundation
import Kernel
import TestSupport
import Testing

@Suite struct ProrationTests {
    let price = Money.rub(500_00)

    private func day(_ text: String) -> LocalDate { LocalDate(text)! }
    private func period(_ text: String) -> BillingPeriod { BillingPeriod(text)! }

    @Test(arguments: ["2026-02", "2028-02", "2026-04", "2026-12"])
    func wholeMonthIsFullAmountExactly(text: String) throws {
        let month = period(text)
        #expect(try Proration.prorate(price, from: month.firstDay, to: nil, in: month) == price)
        #expect(try Proration.prorate(price, from: day("2000-01-01"), to: day("2100-01-01"), in: month) == price)
        #expect(try Proration.prorate(price, days: month.dayCount, of: month) == price)
    }

    @Test func daysOfDifferentMonths() throws {
        // 500,00 for one day: 500/28, 500/29, 500/30, 500/31.
        #expect(try Proration.prorate(price, days: 1, of: period("2026-02")) == .rub(17_86))  // 17.857
        #expect(try Proration.prorate(price, days: 1, of: period("2028-02")) == .rub(17_24))  // 17.241
        #expect(try Proration.prorate(price, days: 1, of: period("2026-04")) == .rub(16_67))  // 16.667
        #expect(try Proration.prorate(price, days: 1, of: period("2026-12")) == .rub(16_13))  // 16.129
        #expect(try Proration.prorate(price, days: 0, of: period("2026-12")) == .zero(.rub))
        // Half a kopeck rounds up: 1 kopeck over 15 of 30 days.
        #expect(try Proration.prorate(.rub(1), days: 15, of: period("2026-04")) == .rub(1))
        #expect(try Proration.prorate(.rub(-1), days: 15, of: period("2026-04")) == .rub(-1))
    }

    @Test func startOnTheLastDay() throws {
        let december = period("2026-12")
        #expect(try Proration.prorate(price, from: day("2026-12-31"), to: nil, in: december) == .rub(16_13))
        let february = period("2028-02")
        #expect(try Proration.prorate(price, from: day("2028-02-29"), to: nil, in: february) == .rub(17_24))
        // The day before start charges the rest.
        #expect(try Proration.prorate(price, from: december.firstDay, to: day("2026-12-31"), in: december) == .rub(483_87))
    }

    @Test func changeOnTheFirstDay() throws {
        let december = period("2026-12")
        let newPrice = Money.rub(800_00)
        // Old tariff ends on the 1st: nothing of it is charged; the new one is charged in full.
        #expect(try Proration.prorate(price, from: day("2026-11-15"), to: day("2026-12-01"), in: december).isZero)
        #expect(try Proration.prorate(newPrice, from: day("2026-12-01"), to: nil, in: december) == newPrice)
        // A change on the 2nd: one day of the old, thirty of the new.
        #expect(try Proration.prorate(price, from: day("2026-11-15"), to: day("2026-12-02"), in: december) == .rub(16_13))
        #expect(try Proration.prorate(newPrice, from: day("2026-12-02"), to: nil, in: december) == .rub(774_19))
    }

    @Test func pauseAcrossMonthEnd() throws {
        let december = period("2026-12")
        let january = december.next
        let pauseStart = day("2026-12-25")
        let pauseEnd = day("2027-01-05")
        // December: active 24 days, paused 7; January: paused 4, active 27.
        let decemberActive = try Proration.prorate(price, from: december.firstDay, to: pauseStart, in: december)
        let decemberPaused = try Proration.prorate(price, from: pauseStart, to: pauseEnd, in: december)
        let januaryPaused = try Proration.prorate(price, from: pauseStart, to: pauseEnd, in: january)
        let januaryActive = try Proration.prorate(price, from: pauseEnd, to: nil, in: january)
        #expect(decemberActive == .rub(387_10))  // 500 × 24/31 = 387.0967…
        #expect(decemberPaused == .rub(112_90))
        #expect(januaryPaused == .rub(64_52))  // 500 × 4/31 = 64.516…
        #expect(januaryActive == .rub(435_48))
        #expect(try decemberActive + decemberPaused == price)
        #expect(try januaryActive + januaryPaused == price)
    }

    @Test func instantsMapToMoscowDays() throws {
        let december = period("2026-12")
        // 23:30 UTC on 30 December is already the 31st in Moscow: one day.
        let start = day("2026-12-30").start(in: TimeZone(identifier: "UTC")!).addingTimeInterval(23.5 * 3600)
        #expect(try Proration.prorate(price, from: start, to: nil, in: december) == .rub(16_13))
        #expect(try Proration.prorate(price, from: start, to: nil, in: december, timeZone: TimeZone(identifier: "UTC")!) == .rub(32_26))
    }

    /// Ranges that partition a period sum exactly to the amount, each stays within one kopeck of the plain rule,
    /// and a range starting on the 1st equals the plain rule; over many seeded random cases.
    @Test func complementaryRangesSumExactly() throws {
        var random = SplitMix64(seed: 0x7072_6F72_61)
        for _ in 0..<5_000 {
            let year = Int.random(in: 2019...2032, using: &random)
            let month = try #require(BillingPeriod(year: year, month: Int.random(in: 1...12, using: &random)))
            let amount = Money.rub(Int64.random(in: -10_000_000...10_000_000, using: &random))
            let cuts = (0..<Int.random(in: 0...4, using: &random)).map { _ in
                month.firstDay.adding(days: Int.random(in: 0...month.dayCount, using: &random))
            }.sorted()
            let parts = try Proration.split(amount, at: cuts, in: month)
            #expect(try Money.sum(parts, currency: .rub) == amount)
            let starts = [month.firstDay] + cuts
            for (index, part) in parts.enumerated() {
                let end = index + 1 < starts.count ? starts[index + 1] : month.endDay
                let days = month.overlapDays(from: starts[index], to: end)
                let plain = try Proration.prorate(amount, days: days, of: month)
                #expect(try (part - plain).minorUnits.magnitude <= 1)
                if index == 0 { #expect(part == plain) }
            }
        }
    }
}
