import Contracts
import Foundation
import Support
import Testing

@Suite("SLA properties over seeded random cases")
struct SLAPropertyTests {
    static let calendars: [(String, WorkingCalendar)] = [
        ("moscow office", moscowOffice),
        (
            "moscow with saturdays",
            WorkingCalendar(
                timeZone: TimeZone(identifier: "Europe/Moscow")!, hours: try! WorkingHours(parsing: "mon-fri 08:30-20:00; sat 10:00-15:45"),
                production: .russia)
        ),
        (
            "berlin with daylight saving",
            WorkingCalendar(timeZone: TimeZone(identifier: "Europe/Berlin")!, hours: .officeDays, production: .weekendsOnly)
        ),
    ]
    static let seeds: [UInt64] = [1, 42, 2026]
    /// 2025-01-01T00:00:00Z and three years on.
    static let span = (start: 1_735_689_600.0, length: 3 * 365 * 86_400)

    static func instant(_ generator: inout SeededGenerator) -> Date {
        Date(timeIntervalSince1970: span.start + Double(Int.random(in: 0..<span.length, using: &generator)))
    }

    @Test(arguments: seeds)
    func addingThenMeasuringGivesTheAmountBack(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        for (name, calendar) in Self.calendars {
            for _ in 0..<400 {
                let start = Self.instant(&generator)
                let amount = Int.random(in: 0...(5 * 9 * 3600), using: &generator)
                let due = calendar.adding(workingSeconds: amount, to: start)
                #expect(calendar.workingSeconds(from: start, to: due) == amount, "\(name) \(start) + \(amount)")
                #expect(due >= start)
            }
        }
    }

    @Test(arguments: seeds)
    func aDueTimeEndsAWorkingSecond(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        for (name, calendar) in Self.calendars {
            for _ in 0..<400 {
                let start = Self.instant(&generator)
                let amount = Int.random(in: 0...(3 * 9 * 3600), using: &generator)
                let due = calendar.adding(workingSeconds: amount, to: start)
                if amount == 0 {
                    #expect(due == start)
                } else {
                    #expect(calendar.isWorking(at: due.addingTimeInterval(-1)), "\(name) \(start) + \(amount) = \(due)")
                    #expect(calendar.nextWorkingInstant(after: due.addingTimeInterval(-1)) == due.addingTimeInterval(-1))
                }
            }
        }
    }

    @Test(arguments: seeds)
    func aPauseDelaysEveryRunningTargetByTheWorkingTimeInsideIt(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let clock = SLAClock(policy: .ispDefault, calendar: moscowOffice)
        var compared = 0
        for _ in 0..<600 {
            let priority = TicketPriority.allCases.randomElement(using: &generator)!
            let created = Self.instant(&generator)
            let pauseStart = created.addingTimeInterval(Double(Int.random(in: 1...(2 * 86_400), using: &generator)))
            let pauseEnd = pauseStart.addingTimeInterval(Double(Int.random(in: 1...(3 * 86_400), using: &generator)))
            let now = pauseEnd.addingTimeInterval(Double(Int.random(in: 0...86_400, using: &generator)))
            let plain = SLAHistory(priority: priority, createdAt: created)
            var paused = plain
            paused.pauses = [SLAPause(start: pauseStart, end: pauseEnd)]
            let calendar = clock.policy.targets[priority]!.roundTheClock ? WorkingCalendar.roundTheClock(in: moscowOffice.timeZone) : moscowOffice
            let inside = calendar.workingSeconds(from: pauseStart, to: pauseEnd)
            let before = clock.status(of: plain, at: now).targets
            let after = clock.status(of: paused, at: now).targets
            for (without, with) in zip(before, after) where [.running, .warning].contains(without.state) {
                #expect(with.remainingSeconds == without.remainingSeconds.map { $0 + inside })
                #expect(calendar.workingSeconds(from: without.dueAt!, to: with.dueAt!) == inside)
                compared += 1
            }
        }
        #expect(compared > 100)
    }

    @Test(arguments: seeds)
    func moreElapsedTimeNeverLeavesMoreTimeRemaining(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let clock = SLAClock(policy: .ispDefault, calendar: moscowOffice)
        for _ in 0..<400 {
            let history = Self.randomHistory(&generator)
            let earlier = history.createdAt.addingTimeInterval(Double(Int.random(in: 0...(6 * 86_400), using: &generator)))
            let later = earlier.addingTimeInterval(Double(Int.random(in: 0...(3 * 86_400), using: &generator)))
            let first = clock.status(of: history, at: earlier).targets
            let second = clock.status(of: history, at: later).targets
            for target in second {
                guard let now = target.remainingSeconds,
                    let before = first.first(where: { $0.kind == target.kind })?.remainingSeconds
                else { continue }
                #expect(now <= before, "\(history) \(target.kind)")
            }
        }
    }

    @Test(arguments: seeds)
    func runningDueTimesAreInsideWorkingTime(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let clock = SLAClock(policy: .ispDefault, calendar: moscowOffice)
        for _ in 0..<400 {
            let history = Self.randomHistory(&generator)
            let now = history.createdAt.addingTimeInterval(Double(Int.random(in: 0...(4 * 86_400), using: &generator)))
            for target in clock.status(of: history, at: now).targets where [.running, .warning].contains(target.state) {
                let due = target.dueAt!
                #expect(due > now)
                #expect(history.priority == .urgent || moscowOffice.isWorking(at: due.addingTimeInterval(-1)))
            }
        }
    }

    @Test(arguments: seeds)
    func roundTheClockIsPlainArithmetic(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let allDay = WorkingCalendar(timeZone: berlin, hours: try WorkingHours(parsing: "mon-sun 00:00-24:00"), production: .weekendsOnly)
        let clock = SLAClock(policy: .ispDefault, calendar: WorkingCalendar(timeZone: berlin, hours: .officeDays, production: .russia))
        for _ in 0..<400 {
            let start = Self.instant(&generator)
            let amount = Int.random(in: 0...(10 * 86_400), using: &generator)
            #expect(allDay.adding(workingSeconds: amount, to: start) == start.addingTimeInterval(Double(amount)))
            #expect(allDay.workingSeconds(from: start, to: start.addingTimeInterval(Double(amount))) == amount)

            let elapsed = Int.random(in: 0...(6 * 3600), using: &generator)
            let urgent = clock.status(of: SLAHistory(priority: .urgent, createdAt: start), at: start.addingTimeInterval(Double(elapsed)))
            let resolution = urgent.targets.first { $0.kind == .resolution }!
            #expect(resolution.remainingSeconds == 4 * 3600 - elapsed)
            #expect(resolution.dueAt == start.addingTimeInterval(4 * 3600))
        }
    }

    @Test(arguments: seeds)
    func repeatedRunsReportEachCrossingOnce(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let clock = SLAClock(policy: .ispDefault, calendar: moscowOffice)
        var reported = 0
        for _ in 0..<40 {
            let base = Self.instant(&generator)
            var tickets: [Int: SLAHistory] = [:]
            for id in 0..<10 { tickets[id] = Self.randomHistory(&generator, createdNear: base) }
            let from = base.addingTimeInterval(-1)
            let through = from.addingTimeInterval(8 * 86_400)
            var runs: [SLACrossing<Int>] = []
            var last = from
            while last < through {
                let next = min(through, last.addingTimeInterval(Double(Int.random(in: 60...(12 * 3600), using: &generator))))
                runs += clock.crossings(in: tickets, after: last, through: next)
                last = next
            }
            let once = clock.crossings(in: tickets, after: from, through: through)
            #expect(runs.count == Set(runs).count)
            #expect(Set(runs) == Set(once))
            reported += runs.count
        }
        #expect(reported > 100)
    }

    static func randomHistory(_ generator: inout SeededGenerator, createdNear base: Date? = nil) -> SLAHistory {
        let created = base.map { $0.addingTimeInterval(Double(Int.random(in: 0...(2 * 86_400), using: &generator))) } ?? instant(&generator)
        var history = SLAHistory(priority: TicketPriority.allCases.randomElement(using: &generator)!, createdAt: created)
        var cursor = created
        for _ in 0..<Int.random(in: 0...3, using: &generator) {
            let start = cursor.addingTimeInterval(Double(Int.random(in: 60...86_400, using: &generator)))
            let end = Bool.random(using: &generator) ? start.addingTimeInterval(Double(Int.random(in: 60...86_400, using: &generator))) : nil
            history.pauses.append(SLAPause(start: start, end: end))
            guard let end else { break }
            cursor = end
        }
        if Bool.random(using: &generator) {
            history.firstResponseAt = created.addingTimeInterval(Double(Int.random(in: 60...(2 * 86_400), using: &generator)))
            if Bool.random(using: &generator) {
                history.unansweredSince = history.firstResponseAt!.addingTimeInterval(Double(Int.random(in: 60...86_400, using: &generator)))
            }
        }
        if Bool.random(using: &generator) {
            history.resolvedAt = created.addingTimeInterval(Double(Int.random(in: 600...(5 * 86_400), using: &generator)))
        }
        return history
    }
}
