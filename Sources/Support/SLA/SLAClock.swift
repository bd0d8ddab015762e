import Contracts
import Foundation

/// The SLA clock: turns a ticket's ``SLAHistory`` and the current instant into its ``TicketSLA``, and finds the
/// warnings and breaches a set of tickets reached since the last look.
///
/// A target counts working time (round the clock for priorities whose ``SLATargets/roundTheClock`` is set) from
/// its start to its stop, minus the history's pauses:
/// - first response: from creation to the first answer (or resolution);
/// - next response: only while a customer message waits, from it to now (or resolution);
/// - resolution: from creation to resolution.
///
/// States: `met`/`breached` once stopped (breached also as soon as the running time passes the target);
/// `paused` while the ticket waits for the customer (no due time then, as it moves by the time paused);
/// otherwise `warning` inside the warning window, else `running`. Remaining seconds are negative once breached
/// and `nil` once met.
public struct SLAClock: Sendable {
    /// The targets and the warning window.
    public let policy: SLAPolicy
    /// The desk's working calendar, for targets counted in working hours.
    public let calendar: WorkingCalendar
    private let roundTheClock: WorkingCalendar

    /// Creates the clock.
    public init(policy: SLAPolicy, calendar: WorkingCalendar) {
        self.policy = policy
        self.calendar = calendar
        self.roundTheClock = .roundTheClock(in: calendar.timeZone)
    }

    /// The ticket's SLA at `now`. `paused` is true while it waits for the customer, or, for targets counted in
    /// working hours, outside them; false once resolved. A priority without targets gives no targets.
    public func status(of history: SLAHistory, at now: Date) -> TicketSLA {
        guard let targets = policy.targets[history.priority] else {
            return TicketSLA(priority: history.priority, paused: false, targets: [])
        }
        let clocks = measures(of: history, targets: targets, at: now)
        let waiting = history.resolvedAt == nil && history.pauses.contains { $0.start <= now && ($0.end.map { now < $0 } ?? true) }
        let outsideHours = history.resolvedAt == nil && !targets.roundTheClock && !calendar.isWorking(at: now)
        return TicketSLA(priority: history.priority, paused: waiting || outsideHours, targets: clocks.map { $0.target })
    }

    /// The warnings and breaches the tickets reached in `(previous, now]`, ordered by instant. Run it with the
    /// previous run's `now` as `previous` to see each crossing once.
    public func crossings<TicketID: Hashable & Sendable>(
        in tickets: [TicketID: SLAHistory], after previous: Date, through now: Date
    ) -> [SLACrossing<TicketID>] {
        var found: [SLACrossing<TicketID>] = []
        for (ticket, history) in tickets {
            guard let targets = policy.targets[history.priority] else { continue }
            for measure in measures(of: history, targets: targets, at: now) {
                for (threshold, instant) in [(SLAThreshold.warning, measure.warningReachedAt), (.breach, measure.breachReachedAt)] {
                    if let instant, previous < instant, instant <= now {
                        found.append(SLACrossing(ticket: ticket, target: measure.target.kind, threshold: threshold, at: instant))
                    }
                }
            }
        }
        return found.sorted { $0.at < $1.at }
    }

    private func measures(of history: SLAHistory, targets: SLATargets, at now: Date) -> [Measure] {
        let clock = targets.roundTheClock ? roundTheClock : calendar
        let pauses = history.pauses.sorted { $0.start < $1.start }
        func measure(_ kind: SLATargetKind, from start: Date, stop: Date?) -> Measure {
            let seconds = targets.minutes(kind) * 60
            return Measure(
                kind: kind, start: start, stop: stop, now: now, targetSeconds: seconds,
                warningSeconds: policy.warningSeconds(forTarget: seconds), pauses: pauses, calendar: clock)
        }
        var result = [measure(.firstResponse, from: history.createdAt, stop: history.firstResponseAt ?? history.resolvedAt)]
        if history.firstResponseAt != nil, let waiting = history.unansweredSince {
            result.append(measure(.nextResponse, from: waiting, stop: history.resolvedAt))
        }
        result.append(measure(.resolution, from: history.createdAt, stop: history.resolvedAt))
        return result
    }
}

/// One target measured over the running time of a history.
private struct Measure {
    let target: SLATarget
    let warningReachedAt: Date?
    let breachReachedAt: Date?

    init(
        kind: SLATargetKind, start: Date, stop: Date?, now: Date, targetSeconds: Int, warningSeconds: Int, pauses: [SLAPause],
        calendar: WorkingCalendar
    ) {
        let stopped = stop.map { $0 <= now } ?? false
        let end = stopped ? max(start, stop!) : max(start, now)
        var segments: [(start: Date, end: Date)] = []
        var cursor = start
        for pause in pauses where pause.start < end {
            let pauseEnd = pause.end ?? .distantFuture
            guard pauseEnd > cursor else { continue }
            if pause.start > cursor { segments.append((cursor, pause.start)) }
            cursor = max(cursor, pauseEnd)
        }
        if cursor < end { segments.append((cursor, end)) }

        var elapsed = 0
        var reached: [Int: Date] = [:]
        let thresholds = [targetSeconds - warningSeconds, targetSeconds]
        for threshold in thresholds where threshold <= 0 { reached[threshold] = start }
        for segment in segments {
            let seconds = calendar.workingSeconds(from: segment.start, to: segment.end)
            for threshold in thresholds where reached[threshold] == nil && elapsed < threshold && threshold <= elapsed + seconds {
                reached[threshold] = calendar.adding(workingSeconds: threshold - elapsed, to: segment.start)
            }
            elapsed += seconds
        }
        let remaining = targetSeconds - elapsed
        let warningThreshold = targetSeconds - warningSeconds
        warningReachedAt = warningSeconds > 0 ? reached[warningThreshold] : nil

        let waiting = !stopped && pauses.contains { $0.start <= now && ($0.end.map { now < $0 } ?? true) }
        let state: SLATargetState
        let dueAt: Date?
        if stopped {
            // Answered exactly at the due instant is in time.
            state = remaining >= 0 ? .met : .breached
            dueAt = remaining >= 0 ? calendar.adding(workingSeconds: remaining, to: end) : reached[targetSeconds]
        } else if remaining <= 0 {
            state = .breached
            dueAt = reached[targetSeconds]
        } else if waiting {
            state = .paused
            dueAt = nil
        } else {
            state = remaining <= warningSeconds ? .warning : .running
            dueAt = calendar.adding(workingSeconds: remaining, to: end)
        }
        breachReachedAt = state == .breached ? reached[targetSeconds] : nil
        target = SLATarget(kind: kind, dueAt: dueAt, remainingSeconds: state == .met ? nil : remaining, state: state)
    }
}
