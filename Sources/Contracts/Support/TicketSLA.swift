import Foundation

/// A ticket's SLA clock as the customer and the operator see it: one entry per target of its policy.
public struct TicketSLA: Codable, Sendable, Hashable {
    /// The priority whose policy applies.
    public var priority: TicketPriority
    /// Whether the clock stands still now (waiting for the customer, or outside working hours).
    public var paused: Bool
    /// The targets: first response, next response (when a customer's message waits for an answer), resolution.
    public var targets: [SLATarget]

    /// Creates the clock.
    public init(priority: TicketPriority, paused: Bool, targets: [SLATarget]) {
        self.priority = priority
        self.paused = paused
        self.targets = targets
    }
}

/// One SLA target of a ticket.
public struct SLATarget: Codable, Sendable, Hashable {
    /// Which target.
    public var kind: SLATargetKind
    /// When it falls due; `nil` while the clock is paused for the customer (it moves by the time paused).
    public var dueAt: Date?
    /// Working seconds left (negative once breached); `nil` once met.
    public var remainingSeconds: Int?
    /// Where it stands.
    public var state: SLATargetState

    /// Creates the target.
    public init(kind: SLATargetKind, dueAt: Date?, remainingSeconds: Int?, state: SLATargetState) {
        self.kind = kind
        self.dueAt = dueAt
        self.remainingSeconds = remainingSeconds
        self.state = state
    }
}

/// The targets of an SLA policy.
public enum SLATargetKind: String, Codable, Sendable, CaseIterable, Hashable {
    /// The first answer of an operator.
    case firstResponse = "first_response"
    /// The answer to a customer's later message.
    case nextResponse = "next_response"
    /// Resolution.
    case resolution
}

/// Where one SLA target stands.
public enum SLATargetState: String, Codable, Sendable, Hashable {
    /// Running, with time to spare.
    case running
    /// Running, inside the warning window before its breach.
    case warning
    /// Stopped while the ticket waits for the customer.
    case paused
    /// Met in time.
    case met
    /// Missed.
    case breached
}
