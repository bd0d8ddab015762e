import Foundation
import Synchronization

/// The source of "now" for domain code, so tests can move time.
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The system's clock.
public struct SystemClock: WallClock {
    /// Creates the system clock.
    public init() {}
    /// The current instant from the operating system.
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to; for tests and simulations.
public final class ManualClock: WallClock {
    private let current: Mutex<Date>

    /// Starts at `start`.
    public init(start: Date = Date(timeIntervalSince1970: 1_790_000_000)) { current = Mutex(start) }

    /// The instant the clock was last set to.
    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}
