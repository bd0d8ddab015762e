import Contracts
import Foundation
import Support
import Testing

@Suite("SLA clock: worked examples")
struct SLAClockTests {
    let clock = SLAClock(policy: .ispDefault, calendar: moscowOffice)

    private func target(_ kind: SLATargetKind, _ history: SLAHistory, at now: Date) -> SLATarget? {
        clock.status(of: history, at: now).targets.first { $0.kind == kind }
    }

    @Test func aTicketCreatedOutsideHoursStartsCountingOnMonday() {
        let history = SLAHistory(priority: .normal, createdAt: msk("2026-12-05 23:00"))
        let status = clock.status(of: history, at: msk("2026-12-06 12:00"))
        #expect(status.paused)
        #expect(status.targets.map(\.kind) == [.firstResponse, .resolution])
        let first = status.targets[0]
        #expect(first.state == .running)
        #expect(first.dueAt == msk("2026-12-07 13:00"))
        #expect(first.remainingSeconds == 4 * 3600)
        // 24 working hours: 9 on Monday, 9 on Tuesday, 6 on Wednesday.
        #expect(status.targets[1].dueAt == msk("2026-12-09 15:00"))
    }

    @Test func waitingForTheCustomerPausesAndResumes() {
        var history = SLAHistory(
            priority: .high, createdAt: msk("2026-12-07 10:00"), pauses: [SLAPause(start: msk("2026-12-07 11:00"))],
            firstResponseAt: msk("2026-12-07 10:30"))
        let waiting = clock.status(of: history, at: msk("2026-12-07 12:00"))
        #expect(waiting.paused)
        #expect(waiting.targets[0] == SLATarget(kind: .firstResponse, dueAt: msk("2026-12-07 11:00"), remainingSeconds: nil, state: .met))
        #expect(waiting.targets[1] == SLATarget(kind: .resolution, dueAt: nil, remainingSeconds: 7 * 3600, state: .paused))

        history.pauses = [SLAPause(start: msk("2026-12-07 11:00"), end: msk("2026-12-07 13:00"))]
        let resumed = clock.status(of: history, at: msk("2026-12-07 14:00"))
        #expect(!resumed.paused)
        #expect(resumed.targets[1] == SLATarget(kind: .resolution, dueAt: msk("2026-12-08 11:00"), remainingSeconds: 6 * 3600, state: .running))
    }

    @Test func aCustomerMessageWaitingForAnAnswerRunsTheNextResponseTarget() {
        let history = SLAHistory(
            priority: .normal, createdAt: msk("2026-12-07 09:00"), firstResponseAt: msk("2026-12-07 09:30"),
            unansweredSince: msk("2026-12-07 16:00"))
        let next = target(.nextResponse, history, at: msk("2026-12-08 14:00"))
        // 8 working hours from 16:00: 2 on Monday, 6 on Tuesday.
        #expect(next == SLATarget(kind: .nextResponse, dueAt: msk("2026-12-08 15:00"), remainingSeconds: 3600, state: .warning))
    }

    @Test func anUrgentTicketRunsRoundTheClockIntoWarningAndBreach() {
        let history = SLAHistory(priority: .urgent, createdAt: msk("2026-12-05 03:00"))
        #expect(target(.firstResponse, history, at: msk("2026-12-05 03:10"))?.state == .running)
        let warning = target(.firstResponse, history, at: msk("2026-12-05 03:12:30"))
        #expect(warning == SLATarget(kind: .firstResponse, dueAt: msk("2026-12-05 03:15"), remainingSeconds: 150, state: .warning))
        let breached = target(.firstResponse, history, at: msk("2026-12-05 03:16"))
        #expect(breached == SLATarget(kind: .firstResponse, dueAt: msk("2026-12-05 03:15"), remainingSeconds: -60, state: .breached))
        #expect(!clock.status(of: history, at: msk("2026-12-05 03:16")).paused)
    }

    @Test func anAnswerAfterTheDueTimeStaysBreachedAndAnAnswerOnTimeIsMet() {
        let late = SLAHistory(priority: .high, createdAt: msk("2026-12-07 09:00"), firstResponseAt: msk("2026-12-07 10:20"))
        #expect(
            target(.firstResponse, late, at: msk("2026-12-08 12:00"))
                == SLATarget(kind: .firstResponse, dueAt: msk("2026-12-07 10:00"), remainingSeconds: -20 * 60, state: .breached))
        let onTime = SLAHistory(priority: .high, createdAt: msk("2026-12-07 09:00"), firstResponseAt: msk("2026-12-07 10:00"))
        #expect(target(.firstResponse, onTime, at: msk("2026-12-08 12:00"))?.state == .met)
    }

    @Test func aReopenedTicketResumesResolutionWhereItStood() {
        let resolved = SLAHistory(
            priority: .normal, createdAt: msk("2026-12-07 09:00"), firstResponseAt: msk("2026-12-07 09:30"),
            resolvedAt: msk("2026-12-07 12:00"))
        let atResolution = target(.resolution, resolved, at: msk("2026-12-07 15:00"))
        #expect(atResolution?.state == .met)
        #expect(atResolution?.remainingSeconds == nil)
        #expect(!clock.status(of: resolved, at: msk("2026-12-07 15:00")).paused)

        let reopened = SLAHistory(
            priority: .normal, createdAt: msk("2026-12-07 09:00"),
            pauses: [SLAPause(start: msk("2026-12-07 12:00"), end: msk("2026-12-08 09:00"))], firstResponseAt: msk("2026-12-07 09:30"))
        #expect(
            target(.resolution, reopened, at: msk("2026-12-08 10:00"))
                == SLATarget(kind: .resolution, dueAt: msk("2026-12-10 12:00"), remainingSeconds: 20 * 3600, state: .running))
    }

    @Test func aPriorityWithoutTargetsHasNoClock() {
        var policy = SLAPolicy.ispDefault
        policy.targets[.low] = nil
        let status = SLAClock(policy: policy, calendar: moscowOffice).status(
            of: SLAHistory(priority: .low, createdAt: msk("2026-12-07 09:00")), at: msk("2026-12-07 10:00"))
        #expect(status.targets.isEmpty)
    }

    @Test func aFixedWarningWindowInMinutes() {
        let policy = SLAPolicy(targets: SLAPolicy.ispDefault.targets, warning: .minutes(30))
        let history = SLAHistory(priority: .high, createdAt: msk("2026-12-07 09:00"))
        let status = SLAClock(policy: policy, calendar: moscowOffice).status(of: history, at: msk("2026-12-07 09:31"))
        #expect(status.targets[0].state == .warning)
        #expect(policy.warningSeconds(forTarget: 600) == 600)
    }

    @Test func crossingsAreReportedOnceAcrossRepeatedRuns() {
        let tickets = [
            "A": SLAHistory(priority: .urgent, createdAt: msk("2026-12-05 03:00")),
            "B": SLAHistory(priority: .urgent, createdAt: msk("2026-12-05 03:00"), firstResponseAt: msk("2026-12-05 03:05")),
        ]
        let firstRun = clock.crossings(in: tickets, after: msk("2026-12-05 03:00"), through: msk("2026-12-05 03:13"))
        #expect(firstRun == [SLACrossing(ticket: "A", target: .firstResponse, threshold: .warning, at: msk("2026-12-05 03:12"))])
        let secondRun = clock.crossings(in: tickets, after: msk("2026-12-05 03:13"), through: msk("2026-12-05 03:20"))
        #expect(secondRun == [SLACrossing(ticket: "A", target: .firstResponse, threshold: .breach, at: msk("2026-12-05 03:15"))])
        #expect(clock.crossings(in: tickets, after: msk("2026-12-05 03:20"), through: msk("2026-12-05 03:30")).isEmpty)
        // Resolution: 4 h, warning at 3 h 12 min, for both tickets.
        let later = clock.crossings(in: tickets, after: msk("2026-12-05 03:30"), through: msk("2026-12-05 07:00"))
        #expect(
            Set(later.map { "\($0.ticket) \($0.target.rawValue) \($0.threshold.rawValue)" })
                == ["A resolution warning", "A resolution breach", "B resolution warning", "B resolution breach"])
    }

    @Test func aLateAnswerStillReportsTheBreach() {
        // First response due at 10:00, answered at 10:20: the breach instant stays in the history.
        let history = SLAHistory(priority: .high, createdAt: msk("2026-12-07 09:00"), firstResponseAt: msk("2026-12-07 10:20"))
        let found = clock.crossings(in: [1: history], after: msk("2026-12-07 09:50"), through: msk("2026-12-07 10:30"))
        #expect(found == [SLACrossing(ticket: 1, target: .firstResponse, threshold: .breach, at: msk("2026-12-07 10:00"))])
    }
}
