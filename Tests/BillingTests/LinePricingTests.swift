import Billing
import Foundation
import Kernel
import Testing

@Suite("Pricing a subscription's days")
struct LinePricingTests {
    static let home = PricedTariff(id: "home", nameRu: "Домашний", nameEn: "Home", vat: .standard, prices: [(LocalDate("2025-01-01")!, 620_00)])
    static let fast = PricedTariff(id: "fast", nameRu: "Быстрый", nameEn: "Fast", vat: .exempt, prices: [(LocalDate("2025-01-01")!, 930_00)])
    static let tariffs = ["home": home, "fast": fast]

    private func terms(
        start: String, end: String? = nil, tariffs: [(String, String)] = [], pauses: [(String, String)] = []
    ) -> SubscriptionTerms {
        SubscriptionTerms(
            id: "s", customerID: "c", startsOn: LocalDate(start)!, endsOn: end.map { LocalDate($0)! },
            tariffs: [(LocalDate(start)!, "home")] + tariffs.map { (LocalDate($0.0)!, $0.1) },
            pauses: pauses.map { SubscriptionTerms.DayRange(from: LocalDate($0.0)!, before: LocalDate($0.1)!) })
    }

    private func line(_ terms: SubscriptionTerms, _ period: String) throws -> PricedLine? {
        try LinePricing.line(for: terms, in: BillingPeriod(period)!, tariffs: Self.tariffs, currency: .rub)
    }

    @Test(arguments: ["2026-02", "2028-02", "2026-04", "2026-12"])
    func wholeMonthsChargeThePriceWithVATAtTheRateOfTheDay(period: String) throws {
        let full = try #require(try line(terms(start: "2025-06-01"), period))
        #expect(full.amount == 620_00)
        #expect(full.days == BillingPeriod(period)!.dayCount)
        #expect(full.vat == 111_80)  // 620 × 22/122 = 111.803…
        #expect(full.vatRatePercent == 22)
        let before = try #require(try line(terms(start: "2025-06-01"), "2025-12"))
        #expect(before.vat == 103_33)  // 620 × 20/120 = 103.333…
        #expect(before.vatRatePercent == 20)
    }

    @Test(arguments: [("2026-02-28", "2026-02", 28), ("2028-02-29", "2028-02", 29), ("2026-04-30", "2026-04", 30), ("2026-12-31", "2026-12", 31)])
    func startOnTheLastDayChargesOneDay(start: String, period: String, days: Int) throws {
        let charged = try #require(try line(terms(start: start), period))
        #expect(charged.days == 1)
        #expect(charged.amount == (620_00 * 2 + Int64(days)) / Int64(2 * days))
        #expect(charged.description.en.contains("1 of \(days) days"))
    }

    @Test func endingAndStartingInsideTheMonthSplitExactly() throws {
        let first = try #require(try line(terms(start: "2025-01-01", end: "2026-12-09"), "2026-12"))
        let second = try #require(try line(terms(start: "2026-12-10"), "2026-12"))
        #expect(first.days + second.days == 31)
        #expect(first.amount + second.amount == 620_00)
        #expect(try line(terms(start: "2025-01-01", end: "2026-11-30"), "2026-12") == nil)
    }

    @Test func aChangeOnTheFirstDayChargesOnlyTheNewTariff() throws {
        let changed = try #require(try line(terms(start: "2025-01-01", tariffs: [("2026-12-01", "fast")]), "2026-12"))
        #expect(changed.amount == 930_00)
        #expect(changed.vat == 0)
        #expect(changed.vatRatePercent == nil)
        #expect(changed.tariffID == "fast")
    }

    @Test func aChangeInsideTheMonthChargesEachTariffForItsDays() throws {
        let changed = try #require(try line(terms(start: "2025-01-01", tariffs: [("2026-12-11", "fast")]), "2026-12"))
        let home = try Proration.prorate(.rub(620_00), from: LocalDate("2026-12-01")!, to: LocalDate("2026-12-11")!, in: BillingPeriod("2026-12")!)
        let fast = try Proration.prorate(.rub(930_00), from: LocalDate("2026-12-11")!, to: nil, in: BillingPeriod("2026-12")!)
        #expect(changed.amount == home.minorUnits + fast.minorUnits)
        #expect(changed.vat == (try home.vatIncluded(at: .standard22)).minorUnits)
        #expect(changed.description.ru.contains("«Домашний» → «Быстрый»"))
    }

    @Test func aPauseAcrossTheMonthEndCreditsBothMonths() throws {
        let paused = terms(start: "2025-01-01", pauses: [("2026-12-25", "2027-01-05")])
        let december = try #require(try line(paused, "2026-12"))
        let january = try #require(try line(paused, "2027-01"))
        #expect(december.days == 24)
        #expect(january.days == 27)
        #expect(december.amount == 480_00)  // 620 × 24/31
        #expect(january.amount == 620_00 - 80_00)  // 620 − round(620 × 4/31)
        let window = SubscriptionTerms.DayRange(from: LocalDate("2026-12-25")!, before: LocalDate("2027-01-05")!)
        let pausedDays = try #require(
            try LinePricing.line(
                for: terms(start: "2025-01-01"), in: BillingPeriod("2026-12")!, tariffs: Self.tariffs, currency: .rub, within: window))
        #expect(pausedDays.amount + december.amount == 620_00)
    }

    @Test func invoiceNumbersArePeriodAndSixDigits() {
        #expect(InvoiceNumber.format(period: BillingPeriod("2026-12")!, sequence: 1) == "2026-12-000001")
        #expect(InvoiceNumber.format(period: BillingPeriod("2027-01")!, sequence: 1_234_567) == "2027-01-1234567")
    }
}
