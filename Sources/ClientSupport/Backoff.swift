/// How a protocol client spaces its reconnection attempts: doubling from `initial` up to `maximum`, each pause
/// jittered to 50–100% so a fleet of clients does not reconnect in lockstep.
public struct Backoff: Sendable, Hashable {
    /// The first delay after a failure.
    public var initial: Duration
    /// The longest delay.
    public var maximum: Duration

    /// Creates a backoff policy.
    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay after `failures` failed attempts in a row (1 for the first): `initial`, doubled each time, at most
    /// `maximum`. Jitter is not applied here.
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = initial
        for _ in 1..<max(failures, 1) where delay < maximum { delay *= 2 }
        return min(delay, maximum)
    }

    /// `delay` scaled by `fraction` (drawn from 0.5...1.0 by the reconnect loop).
    public static func jittered(_ delay: Duration, by fraction: Double) -> Duration {
        delay * fraction
    }
}
