import Foundation
import Kernel
import TestSupport
import Testing

@Suite struct BillingPeriodTests {
    @Test func parsingAndFormatting() throws {
        let period = try #require(BillingPeriod("2026-12"))
        #expect(period.year == 2026 && period.month == 12)
        #expect(period.description == "2026-12")
        #expect(BillingPeriod(year: 2026, month: 3)?.description == "2026-03")
        for bad in ["2026-13", "26-01", "2026-00", "2026-1", "2026-012", "2026/12", "", "2026-12-01", "abcd-ef", "+026-12", "2026--1"] {
            #expect(BillingPeriod(bad) == nil, "\(bad)")
        }
        #expect(try JSONDecoder().decode([BillingPeriod].self, from: Data(#"["2026-12"]"#.utf8)) == [period])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([BillingPeriod].self, from: Data(#"["2026-13"]"#.utf8)) }
        #expect(String(decoding: try JSONEncoder().encode([period]), as: UTF8.self) == #"["2026-12"]"#)
    }

    @Test(arguments: [
        ("2026-01", 31), ("2026-02", 28), ("2028-02", 29), ("2100-02", 28), ("2000-02", 29), ("2026-04", 30), ("2026-06", 30),
        ("2026-09", 30), ("2026-11", 30), ("2026-12", 31), ("2026-07", 31), ("2026-08", 31),
    ])
    func dayCounts(text: String, days: Int) throws {
        let period = try #require(BillingPeriod(text))
        #expect(period.dayCount == days)
        #expect(period.firstDay.days(to: period.endDay) == days)
        #expect(period.lastDay.day == days)
    }

    @Test func nextAndPrevious() throws {
        let december = try #require(BillingPeriod("2026-12"))
        #expect(december.next.description == "2027-01")
        #expect(december.next.previous == december)
        #expect(BillingPeriod("2026-01")!.previous.description == "2025-12")
        #expect(december < december.next)
    }

    @Test func instantsInMoscow() throws {
        let december = try #require(BillingPeriod("2026-12"))
        let utc = TimeZone(identifier: "UTC")!
        // 00:00 Moscow is 21:00 UTC the day before.
        #expect(december.start() == LocalDate("2026-11-30")!.start(in: utc).addingTimeInterval(21 * 3600))
        #expect(december.end() == LocalDate("2026-12-31")!.start(in: utc).addingTimeInterval(21 * 3600))
        #expect(december.end() == december.next.start())
        #expect(december.contains(december.start()))
        #expect(!december.contains(december.end()))
        #expect(december.contains(december.end().addingTimeInterval(-1)))
        #expect(!december.contains(december.start().addingTimeInterval(-1)))
        // The same instant is in different periods in different zones.
        let lastHourUTC = december.next.start(in: utc).addingTimeInterval(-1)
        #expect(BillingPeriod.containing(lastHourUTC, in: utc) == december)
        #expect(BillingPeriod.containing(lastHourUTC) == december.next)
        #expect(december.start(in: utc).timeIntervalSince(december.start()) == 3 * 3600)
    }

    @Test func overlapDays() throws {
        let december = try #require(BillingPeriod("2026-12"))
        let january = december.next
        let day = { (text: String) in LocalDate(text)! }
        #expect(december.overlapDays(from: day("2026-12-31"), to: nil) == 1)
        #expect(december.overlapDays(from: day("2026-12-01"), to: nil) == 31)
        #expect(december.overlapDays(from: day("2020-01-01"), to: day("2030-01-01")) == 31)
        #expect(december.overlapDays(from: day("2026-12-10"), to: day("2026-12-10")) == 0)
        #expect(december.overlapDays(from: day("2026-12-20"), to: day("2026-12-10")) == 0)
        #expect(december.overlapDays(from: day("2027-01-01"), to: nil) == 0)
        #expect(december.overlapDays(from: day("2026-11-01"), to: day("2026-12-01")) == 0)
        // A pause across the month end.
        #expect(december.overlapDays(from: day("2026-12-25"), to: day("2027-01-05")) == 7)
        #expect(january.overlapDays(from: day("2026-12-25"), to: day("2027-01-05")) == 4)
        // Instants: the day of `from` counts, the day of `to` does not.
        let change = day("2026-12-10").start(in: .moscow).addingTimeInterval(15 * 3600)
        #expect(december.overlapDays(from: december.start(), to: change) == 9)
        #expect(december.overlapDays(from: change, to: nil) == 22)
    }

    @Test func localDates() throws {
        #expect(LocalDate("2028-02-29") != nil)
        #expect(LocalDate("2026-02-29") == nil)
        #expect(LocalDate("2026-04-31") == nil)
        #expect(LocalDate("1970-01-01")!.dayNumber == 0)
        #expect(LocalDate("2026-01-01")!.dayNumber == 20_454)
        #expect(LocalDate("2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(LocalDate("2028-02-28")!.adding(days: 1).description == "2028-02-29")
        var random = SplitMix64(seed: 1)
        for _ in 0..<2_000 {
            let number = Int.random(in: -700_000...2_900_000, using: &random)
            let date = LocalDate(dayNumber: number)
            #expect(date.dayNumber == number)
            #expect(LocalDate(date.description) == date)
            #expect(date.adding(days: 1) > date)
        }
        // Day arithmetic agrees with Foundation's calendar in Moscow across recent years.
        var day = LocalDate("2019-01-01")!
        while day < LocalDate("2031-01-01")! {
            let start = day.start(in: .moscow)
            #expect(LocalDate(containing: start, in: .moscow) == day)
            #expect(LocalDate(containing: start.addingTimeInterval(86_399), in: .moscow) == day)
            day = day.adding(days: 1)
        }
    }
}
