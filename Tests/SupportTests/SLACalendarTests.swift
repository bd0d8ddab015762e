import Foundation
import Kernel
import Support
import Testing

@Suite("SLA working calendar: worked examples")
struct SLACalendarTests {
    let office = moscowOffice

    @Test func anOrdinaryWeekendIsSkipped() {
        #expect(office.adding(workingSeconds: 2 * 3600, to: msk("2026-12-04 17:00")) == msk("2026-12-07 10:00"))
        #expect(office.workingSeconds(from: msk("2026-12-04 17:00"), to: msk("2026-12-07 10:00")) == 2 * 3600)
        #expect(office.workingSeconds(from: msk("2026-12-07 10:00"), to: msk("2026-12-04 17:00")) == -2 * 3600)
    }

    @Test func eighthOfMarch2026OnASundayLeavesMondayOff() {
        #expect(office.adding(workingSeconds: 2 * 3600, to: msk("2026-03-06 17:00")) == msk("2026-03-10 10:00"))
        #expect(!office.isWorking(at: msk("2026-03-09 12:00")))
    }

    @Test func eighthOfMarch2025WasMovedByDecreeSoMondayIsWorkedAndFridayIsShort() {
        // 7 March 2025 ends at 17:00 (pre-holiday); 10 March is worked, the day off went to 13 June.
        #expect(office.adding(workingSeconds: 2 * 3600, to: msk("2025-03-07 16:00")) == msk("2025-03-10 10:00"))
        #expect(!office.isWorking(at: msk("2025-03-07 17:30")))
        #expect(!office.isWorking(at: msk("2025-06-13 12:00")))
        #expect(office.workingSeconds(from: msk("2025-03-07 00:00"), to: msk("2025-03-08 00:00")) == 8 * 3600)
        // 23 February 2025 was a Sunday and its day off went to 8 May: 24 February is worked, 7 May is not short.
        #expect(office.isWorking(at: msk("2025-02-24 10:00")))
        #expect(!office.isWorking(at: msk("2025-05-08 10:00")))
        #expect(office.isWorking(at: msk("2025-05-07 17:30")))
    }

    @Test func theNewYearHolidaysOf2026RunFromThe31stTo11January() {
        #expect(office.adding(workingSeconds: 2 * 3600, to: msk("2025-12-30 17:00")) == msk("2026-01-12 10:00"))
        #expect(office.nextWorkingInstant(after: msk("2025-12-31 08:00")) == msk("2026-01-12 09:00"))
        #expect(office.workingSeconds(from: msk("2025-12-30 18:00"), to: msk("2026-01-12 09:00")) == 0)
    }

    @Test func fourthOfNovember2026IsOffAndTheDayBeforeIsShort() {
        #expect(office.adding(workingSeconds: 3600, to: msk("2026-11-03 16:30")) == msk("2026-11-05 09:30"))
        #expect(office.isWorking(at: msk("2026-11-03 16:59")))
        #expect(!office.isWorking(at: msk("2026-11-03 17:00")))
    }

    @Test func theMovedWorkingSaturdayOf1November2025IsShortAndTheMondayAfterIsOff() {
        #expect(office.adding(workingSeconds: 3 * 3600, to: msk("2025-10-31 17:00")) == msk("2025-11-01 11:00"))
        #expect(office.isWorking(at: msk("2025-11-01 16:30")))
        #expect(!office.isWorking(at: msk("2025-11-01 17:30")))
        #expect(office.nextWorkingInstant(after: msk("2025-11-01 17:00")) == msk("2025-11-05 09:00"))
    }

    @Test func withoutADecreeTheLawMovesAWeekendHolidayToMonday() {
        // 1 May 2027 is a Saturday: 30 April is short, 3 May is off.
        #expect(office.adding(workingSeconds: 2 * 3600, to: msk("2027-04-30 16:00")) == msk("2027-05-04 10:00"))
        // January coincidences are left to the decree: 11 January 2027 (a Monday) is worked.
        #expect(office.isWorking(at: msk("2027-01-11 10:00")))
    }

    @Test func aDeskWithSaturdayHoursWorksOrdinarySaturdaysButNotHolidays() throws {
        let desk = WorkingCalendar(
            timeZone: TimeZone(identifier: "Europe/Moscow")!, hours: try WorkingHours(parsing: "mon-fri 09:00-18:00; sat 10:00-16:00"),
            production: .russia)
        #expect(desk.isWorking(at: msk("2026-12-05 11:00")))
        #expect(!desk.isWorking(at: msk("2026-12-05 16:30")))
        // 7 March 2026, a Saturday before the holiday, ends an hour early; 9 March is off.
        #expect(!desk.isWorking(at: msk("2026-03-07 15:30")))
        #expect(desk.adding(workingSeconds: 3600, to: msk("2026-03-07 14:30")) == msk("2026-03-10 09:30"))
    }

    @Test func daylightSavingDaysCountTheirRealLength() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let allDay = WorkingCalendar(timeZone: berlin, hours: try WorkingHours(parsing: "mon-sun 00:00-24:00"), production: .weekendsOnly)
        // 29 March 2026 has 23 hours in Berlin.
        #expect(
            allDay.workingSeconds(from: local("2026-03-28 12:00", offset: "+01:00"), to: local("2026-03-30 12:00", offset: "+02:00")) == 47 * 3600)
        let office = WorkingCalendar(timeZone: berlin, hours: .officeDays, production: .weekendsOnly)
        #expect(
            office.adding(workingSeconds: 2 * 3600, to: local("2026-03-27 17:00", offset: "+01:00")) == local("2026-03-30 10:00", offset: "+02:00"))
        #expect(office.isWorking(at: local("2026-03-30 09:30", offset: "+02:00")))
        #expect(!office.isWorking(at: local("2026-03-27 08:30", offset: "+01:00")))
        #expect(
            office.workingSeconds(from: local("2026-10-23 00:00", offset: "+02:00"), to: local("2026-10-27 00:00", offset: "+01:00")) == 18 * 3600)
    }

    @Test func aScheduleWithoutWorkingTimeNeverFallsDue() {
        let closed = WorkingCalendar(timeZone: TimeZone(identifier: "Europe/Moscow")!, hours: WorkingHours(intervals: [:]), production: .russia)
        #expect(closed.adding(workingSeconds: 60, to: msk("2026-12-07 10:00")) == .distantFuture)
        #expect(closed.nextWorkingInstant(after: msk("2026-12-07 10:00")) == .distantFuture)
        #expect(closed.workingSeconds(from: msk("2026-12-07 10:00"), to: msk("2026-12-14 10:00")) == 0)
        #expect(office.adding(workingSeconds: 0, to: msk("2026-12-06 10:00")) == msk("2026-12-06 10:00"))
    }

    @Test func roundTheClockIgnoresHolidays() {
        let clock = WorkingCalendar.roundTheClock(in: TimeZone(identifier: "Europe/Moscow")!)
        #expect(clock.adding(workingSeconds: 3600, to: msk("2026-01-01 00:30")) == msk("2026-01-01 01:30"))
        #expect(clock.isWorking(at: msk("2026-01-01 03:00")))
    }

    @Test func theRussianCalendarHasTheDecreedYearsWorkingDayCounts() {
        // 247 working days in both 2025 and 2026 (the Government's figures), of which four are shortened.
        for year in [2025, 2026] {
            var working = 0
            var shortened = 0
            var day = LocalDate(year: year, month: 1, day: 1)!
            while day.year == year {
                if case .working(let short) = ProductionCalendar.russia.kind(of: day) {
                    working += 1
                    if short { shortened += 1 }
                }
                day = day.adding(days: 1)
            }
            #expect(working == 247, "\(year)")
            #expect(shortened == 4, "\(year)")
        }
    }
}
