import Foundation
import Kernel
import Support
import Testing

@Suite("SLA working hours and calendar settings")
struct SLAWorkingHoursTests {
    @Test func parsesDayRangesAndSingleDays() throws {
        let hours = try WorkingHours(parsing: " Mon-Fri 09:00-18:00 ; sat 10:00-16:00 ")
        #expect(hours.intervals.count == 6)
        #expect(hours.intervals[.wednesday] == DailyInterval(startMinute: 540, endMinute: 1080))
        #expect(hours.intervals[.saturday] == DailyInterval(startMinute: 600, endMinute: 960))
        #expect(hours.intervals[.sunday] == nil)
        #expect(hours.description == "mon 09:00-18:00; tue 09:00-18:00; wed 09:00-18:00; thu 09:00-18:00; fri 09:00-18:00; sat 10:00-16:00")
        #expect(try WorkingHours(parsing: hours.description) == hours)
    }

    @Test func parsesRoundTheClockAndMidnightEnd() throws {
        #expect(try WorkingHours(parsing: "24/7") == .roundTheClock)
        let hours = try WorkingHours(parsing: "sun 20:00-24:00")
        #expect(hours.intervals[.sunday] == DailyInterval(startMinute: 1200, endMinute: 1440))
    }

    @Test(arguments: [
        ("", WorkingHoursError.empty),
        ("mon-fri", .malformedGroup("mon-fri")),
        ("mon-fry 09:00-18:00", .badDays("fry", group: "mon-fry 09:00-18:00")),
        ("fri-mon 09:00-18:00", .badDays("fri-mon", group: "fri-mon 09:00-18:00")),
        ("mon 9:00-18:00", .badInterval("9:00-18:00", group: "mon 9:00-18:00")),
        ("mon 18:00-09:00", .badInterval("18:00-09:00", group: "mon 18:00-09:00")),
        ("mon 09:00-24:30", .badInterval("09:00-24:30", group: "mon 09:00-24:30")),
        ("mon-fri 09:00-18:00; fri 10:00-12:00", .dayRepeated("fri", group: "fri 10:00-12:00")),
    ])
    func rejectsBadHoursNamingThePart(text: String, error: WorkingHoursError) {
        #expect(throws: error) { try WorkingHours(parsing: text) }
    }

    @Test func errorMessagesNameTheBadPart() {
        #expect(WorkingHoursError.badDays("fry", group: "mon-fry 09:00-18:00").description.contains("fry"))
        #expect(CalendarSettingsError.badDate("2027-02-30", entry: "2027-02-30 off").description.contains("2027-02-30"))
    }

    @Test func operatorEntriesOverrideTheBuiltInCalendar() throws {
        let calendar = try ProductionCalendar.russia.applying(
            settings: "2027-01-08..2027-01-09 off;\n2027-11-13 work, 2027-06-21 holiday; 2026-06-10 short")
        #expect(calendar.kind(of: LocalDate("2027-11-13")!) == .working(shortened: false))
        #expect(calendar.kind(of: LocalDate("2027-01-09")!) == .nonWorking)
        #expect(calendar.kind(of: LocalDate("2027-06-21")!) == .nonWorking)
        #expect(calendar.isPublicHoliday(LocalDate("2027-06-21")!))
        // The day before the operator's holiday is a Sunday: shortened for a desk that works Sundays.
        #expect(calendar.kind(of: LocalDate("2027-06-20")!) == .weekend(shortened: true))
        #expect(calendar.kind(of: LocalDate("2026-06-10")!) == .working(shortened: true))
    }

    @Test(arguments: [
        ("2027-02-30 off", CalendarSettingsError.badDate("2027-02-30", entry: "2027-02-30 off")),
        ("2027-01-08 dayoff", .unknownKind("dayoff", entry: "2027-01-08 dayoff")),
        ("2027-01-08", .malformedEntry("2027-01-08")),
        ("2027-01-09..2027-01-08 off", .badDate("2027-01-09..2027-01-08", entry: "2027-01-09..2027-01-08 off")),
        ("2027-01-01 off; 27-01-08 off", .badDate("27-01-08", entry: "27-01-08 off")),
    ])
    func rejectsBadCalendarEntriesNamingThem(text: String, error: CalendarSettingsError) {
        #expect(throws: error) { try ProductionCalendar.russia.applying(settings: text) }
    }

    @Test func civilDatesRoundTripThroughDayNumbers() {
        #expect(LocalDate("1970-01-01")!.dayNumber == 0)
        #expect(LocalDate("2026-12-07")!.weekday == .monday)
        #expect(LocalDate("2024-02-29")!.adding(days: 366) == LocalDate("2025-03-01"))
        #expect(LocalDate("1969-12-31")!.dayNumber == -1)
        #expect(LocalDate("2025-02-29") == nil)
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let number = Int.random(in: -200_000...200_000, using: &generator)
            let date = LocalDate(dayNumber: number)
            #expect(date.dayNumber == number)
            #expect(LocalDate(date.description) == date)
        }
    }
}
