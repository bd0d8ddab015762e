import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs each test it is attached to while holding an exclusive lock on the control broker, shared with every other
/// test target in the run (an `flock` on a file named after the broker's URL), so that a test restarting the broker or
/// raising its alarms never overlaps another one doing the same from another target.
public struct ControlBrokerLock: TestTrait, SuiteTrait, TestScoping {
    /// Whether the trait also applies to a suite's tests (it does: each test takes the lock).
    public var isRecursive: Bool { true }

    /// Runs one test case while holding the lock; suites and runs without a control broker pass through.
    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        // Only test cases take the lock: a suite's scope would hold it across all of them.
        guard testCase != nil, let url = ProcessInfo.processInfo.environment["LASTMILE_TEST_AMQP_CONTROL_URL"] else {
            try await function()
            return
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lastmile-amqp-control-\(url.hashValue64).lock").path
        let descriptor = open(path, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else {
            try await function()
            return
        }
        defer { close(descriptor) }
        // Polled without blocking: a blocked thread of the cooperative pool could starve the lock's holder.
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 { try await Task.sleep(for: .milliseconds(50)) }
        defer { flock(descriptor, LOCK_UN) }
        try await function()
    }
}

extension Trait where Self == ControlBrokerLock {
    /// Serializes the test with every other control-broker test of the run, across test targets.
    public static var controlBrokerLock: ControlBrokerLock { ControlBrokerLock() }
}

extension String {
    /// A hash stable across processes (FNV-1a), unlike `hashValue`.
    fileprivate var hashValue64: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
