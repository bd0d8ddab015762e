import Synchronization
import Testing

@testable import ClientSupport

@Suite("Reconnector")
struct ReconnectorTests {
    struct Refused: Error {}

    /// Connection attempts numbered from 1; the ones in `failing` throw, the one numbered `held` stays open until
    /// cancelled, any other closes as soon as it is served.
    final class Script: Sendable {
        let failing: Set<Int>
        let held: Int
        let attempts = Mutex(0)
        let sleeps = Mutex<[Duration]>([])
        let reported = Mutex<[Duration]>([])
        let closed = Mutex<[Int]>([])
        let served = Mutex<[Int]>([])
        let holding: AsyncStream<Void>
        let holdingContinuation: AsyncStream<Void>.Continuation

        init(failing: Set<Int>, held: Int) {
            self.failing = failing
            self.held = held
            (holding, holdingContinuation) = AsyncStream.makeStream(of: Void.self)
        }

        func connect() throws -> Int {
            let attempt = attempts.withLock { attempts in
                attempts += 1
                return attempts
            }
            if failing.contains(attempt) { throw Refused() }
            return attempt
        }

        func serve(_ connection: Int) async {
            served.withLock { $0.append(connection) }
            guard connection == held else { return }
            holdingContinuation.yield()
            try? await Task.sleep(for: .seconds(3600))
        }

        func run(_ reconnector: Reconnector) async {
            await reconnector.run(
                connect: { try self.connect() }, serve: { await self.serve($0) },
                startClose: { connection in self.closed.withLock { $0.append(connection) } },
                failed: { _, delay in self.reported.withLock { $0.append(delay) } })
        }

        /// Runs a loop with `backoff` and `jitter` whose pauses are recorded, not slept, until the held connection
        /// is served; then cancels it and waits for it to end.
        func runUntilHeld(backoff: Backoff, jitter: Double) async {
            let reconnector = Reconnector(backoff: backoff, sleep: { delay in self.sleeps.withLock { $0.append(delay) } }, jitter: { jitter })
            let task = Task { await run(reconnector) }
            for await _ in holding { break }
            task.cancel()
            await task.value
        }
    }

    @Test func backsOffAfterFailuresAndStartsOverAfterEachConnection() async {
        let script = Script(failing: [1, 2, 3, 4, 6, 7], held: 8)
        await script.runUntilHeld(backoff: Backoff(initial: .milliseconds(100), maximum: .milliseconds(500)), jitter: 1.0)

        let expected: [Duration] = [100, 200, 400, 500, 100, 200].map { .milliseconds($0) }
        #expect(script.reported.withLock { $0 } == expected)
        #expect(script.sleeps.withLock { $0 } == expected)
        #expect(script.served.withLock { $0 } == [5, 8])
        #expect(script.closed.withLock { $0 } == [8], "cancelling starts a graceful close of the open connection")
        #expect(script.attempts.withLock { $0 } == 8, "no attempt after cancellation")
    }

    @Test func jitterShortensEachPause() async {
        let script = Script(failing: [1, 2], held: 3)
        await script.runUntilHeld(backoff: Backoff(initial: .seconds(1), maximum: .seconds(10)), jitter: 0.5)
        #expect(script.sleeps.withLock { $0 } == [.milliseconds(500), .seconds(1)])
        #expect(script.reported.withLock { $0 } == [.seconds(1), .seconds(2)])
    }

    @Test func cancellingDuringAPauseEndsTheLoop() async {
        let script = Script(failing: Set(1...1000), held: 0)
        let task = Task { await script.run(Reconnector(backoff: Backoff(initial: .seconds(3600)))) }
        while script.attempts.withLock({ $0 }) == 0 { await Task.yield() }
        task.cancel()
        await task.value
        #expect(script.attempts.withLock { $0 } == 1)
        #expect(script.closed.withLock { $0 }.isEmpty)
    }
}
