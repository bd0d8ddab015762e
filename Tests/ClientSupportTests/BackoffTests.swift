import ClientSupport
import Testing

@Suite("Backoff")
struct BackoffTests {
    @Test func doublesFromInitialUpToMaximum() {
        let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
        let schedule = (1...9).map { backoff.delay(afterFailures: $0) }
        #expect(
            schedule == [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000].map { Duration.milliseconds($0) })
    }

    @Test func staysAtTheMaximumAfterManyFailures() {
        let backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(500))
        #expect(backoff.delay(afterFailures: 1_000_000) == .milliseconds(500))
        #expect(backoff.delay(afterFailures: 0) == .milliseconds(50))
    }

    @Test func jitterScalesTheDelay() {
        #expect(Backoff.jittered(.seconds(2), by: 0.5) == .seconds(1))
        #expect(Backoff.jittered(.seconds(2), by: 1.0) == .seconds(2))
    }

    @Test func defaultsAreATenthOfASecondUpToFiveSeconds() {
        #expect(Backoff() == Backoff(initial: .milliseconds(100), maximum: .seconds(5)))
    }
}
