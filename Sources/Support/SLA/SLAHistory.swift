import Contracts
import Foundation

/// What the SLA clock needs to know of a ticket, filled from its rows.
///
/// The clock counts running time only: time inside ``pauses`` does not count towards any target, so a reopened
/// ticket resumes its resolution clock where it stood.
public struct SLAHistory: Sendable, Equatable {
    /// The priority whose targets apply (the current one).
    public var priority: TicketPriority
    /// When the ticket was created; first response and resolution count from here.
    public var createdAt: Date
    /// The periods the clock stood still: each stay in `waiting_for_customer`, and each stay in `resolved` that a
    /// reopen ended. The last may be open (`end == nil`) while the ticket waits for the customer now. Need not be
    /// sorted; overlaps are harmless.
    public var pauses: [SLAPause]
    /// When an operator first answered the customer; `nil` until then.
    public var firstResponseAt: Date?
    /// The oldest customer message not yet answered by an operator, after the first answer; `nil` when the last
    /// word is the operator's. Starts the next-response target.
    public var unansweredSince: Date?
    /// When the ticket was resolved, while it is resolved or closed now; `nil` while it is active. Stops every
    /// target: resolving counts as answering.
    public var resolvedAt: Date?

    /// Creates the history.
    public init(
        priority: TicketPriority, createdAt: Date, pauses: [SLAPause] = [], firstResponseAt: Date? = nil,
        unansweredSince: Date? = nil, resolvedAt: Date? = nil
    ) {
        self.priority = priority
        self.createdAt = createdAt
        self.pauses = pauses
        self.firstResponseAt = firstResponseAt
        self.unansweredSince = unansweredSince
        self.resolvedAt = resolvedAt
    }
}

/// A period the SLA clock stood still, `[start, end)`.
public struct SLAPause: Sendable, Equatable {
    /// When it began.
    public var start: Date
    /// When it ended; `nil` while it lasts.
    public var end: Date?

    /// Creates the pause.
    public init(start: Date, end: Date? = nil) {
        self.start = start
        self.end = end
    }
}

/// A target's warning or breach threshold that a ticket's clock reached, for the background job to publish once.
///
/// The instant is when running time reached the threshold, fixed by the history before it; a job that asks for
/// crossings in `(last run, now]` on every run therefore sees each one exactly once. A next-response breach is
/// only visible while that customer message is still the unanswered one, so the job should run more often than
/// the shortest next-response target.
public struct SLACrossing<TicketID: Hashable & Sendable>: Hashable, Sendable {
    /// The ticket.
    public var ticket: TicketID
    /// The target.
    public var target: SLATargetKind
    /// Warning or breach.
    public var threshold: SLAThreshold
    /// When the running time reached it.
    public var at: Date

    /// Creates the crossing.
    public init(ticket: TicketID, target: SLATargetKind, threshold: SLAThreshold, at: Date) {
        self.ticket = ticket
        self.target = target
        self.threshold = threshold
        self.at = at
    }
}

/// The thresholds of a target.
public enum SLAThreshold: String, Hashable, Sendable, CaseIterable {
    /// The warning window began.
    case warning
    /// The target was missed.
    case breach
}
