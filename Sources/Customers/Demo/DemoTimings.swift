import Foundation
import Synchronization

/// Time spent in each stage of a demo load, summed over the batches (batches in flight at once overlap, so the sum
/// may exceed the wall time).
public final class DemoTimings: Sendable {
    private let spent = Mutex<[(stage: String, time: Duration)]>([])

    /// Creates an empty record.
    public init() {}

    /// Runs `body` and adds its time to `stage`.
    public func measure<Result>(_ stage: String, _ body: () async throws -> Result) async rethrows -> Result {
        let started = ContinuousClock.now
        defer { add(stage, ContinuousClock.now - started) }
        return try await body()
    }

    /// Adds `time` to `stage`.
    public func add(_ stage: String, _ time: Duration) {
        spent.withLock { spent in
            if let index = spent.firstIndex(where: { $0.stage == stage }) {
                spent[index].time += time
            } else {
                spent.append((stage, time))
            }
        }
    }

    /// Each stage's total in seconds, in the order the stages first ran.
    public var seconds: [(stage: String, seconds: Double)] {
        spent.withLock { spent in
            spent.map { ($0.stage, Double($0.time.components.seconds) + Double($0.time.components.attoseconds) / 1e18) }
        }
    }

    /// `stage 1.2 s, stage 3.4 s`.
    public var summary: String {
        seconds.map { "\($0.stage) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", ")
    }
}
