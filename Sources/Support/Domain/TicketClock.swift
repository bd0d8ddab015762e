import Contracts
import Foundation

/// The SLA clock of stored tickets: what customers and operators see, and the due time queues sort by.
struct TicketClock: Sendable {
    /// Working minutes per target and priority.
    var targets: [TicketPriority: (first: Int, next: Int, resolution: Int)] = [
        .urgent: (15, 30, 240), .high: (60, 120, 480), .normal: (240, 480, 1440), .low: (480, 960, 2400),
    ]
    /// The warning window, as a share of a target.
    var warningShare = 0.2

    /// The clock of `ticket` at `now`; nil once it is closed.
    func view(of ticket: TicketRecord, at now: Date) -> TicketSLA? {
        guard ticket.status != .closed, let minutes = targets[ticket.priority] else { return nil }
        let paused = ticket.status == .waitingForCustomer
        func target(_ kind: SLATargetKind, from start: Date, minutes: Int, metAt: Date?) -> SLATarget {
            let pausedSeconds = pauses(of: ticket, from: start, until: metAt ?? now)
            let due = start.addingTimeInterval(TimeInterval(minutes * 60) + pausedSeconds)
            if let metAt { return SLATarget(kind: kind, dueAt: due, remainingSeconds: nil, state: metAt <= due ? .met : .breached) }
            let remaining = Int(due.timeIntervalSince(now).rounded(.down))
            let state: SLATargetState =
                paused ? .paused : remaining < 0 ? .breached : Double(remaining) <= Double(minutes * 60) * warningShare ? .warning : .running
            return SLATarget(kind: kind, dueAt: paused ? nil : due, remainingSeconds: remaining, state: state)
        }
        var list = [target(.firstResponse, from: ticket.createdAt, minutes: minutes.first, metAt: ticket.firstRespondedAt)]
        if let since = ticket.awaitingReplySince, ticket.firstRespondedAt != nil {
            list.append(target(.nextResponse, from: since, minutes: minutes.next, metAt: nil))
        }
        list.append(target(.resolution, from: ticket.createdAt, minutes: minutes.resolution, metAt: ticket.resolvedAt))
        return TicketSLA(priority: ticket.priority, paused: paused, targets: list)
    }

    /// The soonest due time among the targets still running, for queues; nil when none runs.
    func nextDue(of ticket: TicketRecord, at now: Date) -> Date? {
        view(of: ticket, at: now)?.targets.filter { $0.state != .met }.compactMap(\.dueAt).min() ?? ticket.slaDueAt
    }

    private func pauses(of ticket: TicketRecord, from start: Date, until end: Date) -> TimeInterval {
        var periods = ticket.paused.map { ($0.from, $0.to) }
        if let since = ticket.waitingSince { periods.append((since, end)) }
        return periods.reduce(0) { total, period in total + max(0, min(period.1, end).timeIntervalSince(max(period.0, start))) }
    }
}
