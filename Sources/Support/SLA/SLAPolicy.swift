import Contracts

/// The SLA targets of every ticket priority, and when to warn before a breach.
///
/// The ISP defaults (``ispDefault``): urgent 15 min first response, 30 min next response, 4 h resolution, round
/// the clock (an outage does not wait for Monday); high 1 h / 2 h / 8 h, normal 4 h / 8 h / 24 h, low 8 h / 16 h /
/// 40 h, all in working hours. A warning comes when 20% of a target is left.
public struct SLAPolicy: Sendable, Equatable {
    /// The targets per priority; a priority missing here has no SLA.
    public var targets: [TicketPriority: SLATargets]
    /// How long before a breach a target turns to warning.
    public var warning: SLAWarningWindow

    /// Creates the policy.
    public init(targets: [TicketPriority: SLATargets], warning: SLAWarningWindow) {
        self.targets = targets
        self.warning = warning
    }

    /// The defaults for an ISP help desk.
    public static let ispDefault = SLAPolicy(
        targets: [
            .urgent: SLATargets(firstResponseMinutes: 15, nextResponseMinutes: 30, resolutionMinutes: 4 * 60, roundTheClock: true),
            .high: SLATargets(firstResponseMinutes: 60, nextResponseMinutes: 2 * 60, resolutionMinutes: 8 * 60, roundTheClock: false),
            .normal: SLATargets(firstResponseMinutes: 4 * 60, nextResponseMinutes: 8 * 60, resolutionMinutes: 24 * 60, roundTheClock: false),
            .low: SLATargets(firstResponseMinutes: 8 * 60, nextResponseMinutes: 16 * 60, resolutionMinutes: 40 * 60, roundTheClock: false),
        ],
        warning: .fraction(0.2))

    /// The warning window of a target of `targetSeconds`, in working seconds, never more than the target.
    public func warningSeconds(forTarget targetSeconds: Int) -> Int {
        switch warning {
        case .fraction(let share): min(targetSeconds, max(0, Int((Double(targetSeconds) * share).rounded())))
        case .minutes(let minutes): min(targetSeconds, max(0, minutes * 60))
        }
    }
}

/// The targets of one priority.
public struct SLATargets: Sendable, Equatable {
    /// Working minutes from creation to the first operator answer.
    public var firstResponseMinutes: Int
    /// Working minutes from a customer's unanswered message to the answer.
    public var nextResponseMinutes: Int
    /// Working minutes of running time from creation to resolution.
    public var resolutionMinutes: Int
    /// Whether the minutes run round the clock, holidays included, instead of in working hours.
    public var roundTheClock: Bool

    /// Creates the targets.
    public init(firstResponseMinutes: Int, nextResponseMinutes: Int, resolutionMinutes: Int, roundTheClock: Bool) {
        self.firstResponseMinutes = firstResponseMinutes
        self.nextResponseMinutes = nextResponseMinutes
        self.resolutionMinutes = resolutionMinutes
        self.roundTheClock = roundTheClock
    }

    /// The minutes of `kind`.
    public func minutes(_ kind: SLATargetKind) -> Int {
        switch kind {
        case .firstResponse: firstResponseMinutes
        case .nextResponse: nextResponseMinutes
        case .resolution: resolutionMinutes
        }
    }
}

/// How long before a breach a running target turns to warning.
public enum SLAWarningWindow: Sendable, Equatable {
    /// A share of the target, 0…1 (0.2: the last fifth).
    case fraction(Double)
    /// A fixed number of working minutes (capped at the target).
    case minutes(Int)
}
