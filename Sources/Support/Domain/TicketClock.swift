import Contracts
import Foundation

/// The SLA clock of stored tickets (``SLAClock`` over the desk's calendar): what customers and operators see, the
/// instants queues sort by, and the breaches the watcher publishes.
struct TicketClock: Sendable {
    /// The clock of the desk's policy and calendar.
    let sla: SLAClock

    /// The due time stored for a ticket whose clock stands still while it waits for the customer: after everything,
    /// so such tickets sort last in a queue by deadline.
    static let standing = Date(timeIntervalSince1970: 253_402_300_799)

    init(settings: SupportSettings) {
        sla = SLAClock(
            policy: settings.slaPolicy,
            calendar: WorkingCalendar(timeZone: settings.timeZone, hours: settings.workingHours, production: settings.productionCalendar))
    }

    /// The history the clock measures: every stay in waiting for the customer, and every stay in `resolved` that a
    /// reopen ended, stand still.
    func history(of ticket: TicketRecord) -> SLAHistory {
        var pauses = ticket.paused.map { SLAPause(start: $0.from, end: $0.to) }
        if let since = ticket.waitingSince { pauses.append(SLAPause(start: since)) }
        let resolved = ticket.status == .resolved || ticket.status == .closed
        return SLAHistory(
            priority: ticket.priority, createdAt: ticket.createdAt, pauses: pauses, firstResponseAt: ticket.firstRespondedAt,
            unansweredSince: ticket.awaitingReplySince, resolvedAt: resolved ? ticket.resolvedAt ?? ticket.closedAt : nil)
    }

    /// The clock of `ticket` at `now`; nil once it is closed.
    func view(of ticket: TicketRecord, at now: Date) -> TicketSLA? {
        guard ticket.status != .closed else { return nil }
        return sla.status(of: history(of: ticket), at: now)
    }

    /// When the ticket's soonest running target falls due and when its warning starts, as stored for queues (past
    /// instants included: an overdue ticket sorts first). Waiting for the customer: ``standing`` and no warning;
    /// not active: none.
    func deadlines(of ticket: TicketRecord, at now: Date) -> (due: Date?, warning: Date?) {
        guard ticket.status.isActive else { return (nil, nil) }
        let history = history(of: ticket)
        // The walk ends at the last due time the clock shows now: crossings beyond it cannot come first, and a walk
        // through a fixed far future costs a millisecond of calendar arithmetic per change.
        guard let horizon = sla.status(of: history, at: now).targets.compactMap(\.dueAt).max() else {
            return (ticket.status == .waitingForCustomer ? Self.standing : nil, nil)
        }
        let crossings = sla.crossings(
            in: [ticket.id: history], after: ticket.createdAt.addingTimeInterval(-1), through: max(now, horizon).addingTimeInterval(1))
        let due = crossings.filter { $0.threshold == .breach }.map(\.at).min()
        let warning = crossings.filter { $0.threshold == .warning }.map(\.at).min()
        return (due ?? (ticket.status == .waitingForCustomer ? Self.standing : nil), warning)
    }

    /// The breaches `ticket` reached by `now`, each with the instant it reached it.
    func breaches(of ticket: TicketRecord, through now: Date) -> [SLACrossing<String>] {
        sla.crossings(in: [ticket.id: history(of: ticket)], after: ticket.createdAt.addingTimeInterval(-1), through: now)
            .filter { $0.threshold == .breach }
    }
}
