import Foundation

/// Brute-force rules: failures within a window lock a subject, each new lock twice as long as the last, up to a cap.
public struct LockoutPolicy: Sendable, Hashable {
    /// Failures that lock one account.
    public var accountThreshold = 5
    /// Failures from one IP address, across all accounts, that lock the address.
    public var addressThreshold = 20
    /// The window failures are counted in.
    public var window: TimeInterval = 15 * 60
    /// The first lock's length.
    public var firstLock: TimeInterval = 60
    /// The longest lock.
    public var maximumLock: TimeInterval = 15 * 60

    /// Default rules: 5 failures per account or 20 per address in 15 minutes; locks from 60 s to 15 min.
    public init() {}

    /// The length of the lock at `level` (0 for the first lock).
    public func lockDuration(level: Int) -> TimeInterval {
        min(maximumLock, firstLock * pow(2, Double(min(level, 16))))
    }

    /// The state after one more failure at `now`; `locked` tells whether it starts a lock.
    public func recordFailure(_ state: AttemptState, threshold: Int, now: Date) -> (state: AttemptState, locked: Bool) {
        var next = state
        if now.timeIntervalSince(state.windowStart) > window {
            next.failures = 0
            next.windowStart = now
        }
        next.failures += 1
        guard next.failures >= threshold else { return (next, false) }
        next.lockedUntil = now.addingTimeInterval(lockDuration(level: state.lockLevel))
        next.lockLevel = state.lockLevel + 1
        next.failures = 0
        next.windowStart = now
        return (next, true)
    }
}

/// Failure bookkeeping of one subject (an account or an IP address), as its `login_attempts` row holds it.
public struct AttemptState: Sendable, Hashable, Decodable {
    /// Failures in the current window.
    public var failures: Int
    /// When the window began.
    public var windowStart: Date
    /// The lock's end, if locked.
    public var lockedUntil: Date?
    /// How many locks came before; the next lock lasts longer.
    public var lockLevel: Int

    /// Creates a state.
    public init(failures: Int = 0, windowStart: Date, lockedUntil: Date? = nil, lockLevel: Int = 0) {
        self.failures = failures
        self.windowStart = windowStart
        self.lockedUntil = lockedUntil
        self.lockLevel = lockLevel
    }

    /// Seconds left on the lock at `now`, or `nil` when not locked.
    public func retryAfter(now: Date) -> Int? {
        guard let lockedUntil, lockedUntil > now else { return nil }
        // Times are stored to the microsecond; a sub-millisecond remainder is rounding, not a second to wait.
        return max(1, Int((lockedUntil.timeIntervalSince(now) - 0.001).rounded(.up)))
    }
}
