import Contracts
import Foundation
import Kernel
import Logging
import ServiceLifecycle
import Storage

/// Starts the monthly run at 00:00 on the 1st in the operator's time zone (``BillingSettings/timeZone``).
///
/// On start it also runs the current period when no run of it completed (a process that was down at midnight, or
/// killed in the middle of a run, catches up); the run's idempotency makes a repeat create nothing.
public struct MonthlyRunScheduler: Service {
    private let billing: BillingService

    /// Creates the scheduler of a billing service.
    public init(billing: BillingService) { self.billing = billing }

    /// The next 00:00 on a 1st strictly after `instant` in `timeZone`.
    public static func nextStart(after instant: Date, in timeZone: TimeZone) -> Date {
        let period = BillingPeriod.containing(instant, in: timeZone)
        let start = period.start(in: timeZone)
        return start > instant ? start : period.next.start(in: timeZone)
    }

    /// Waits for each 1st and runs its period, until the service group shuts down.
    public func run() async throws {
        let timeZone = billing.settings.timeZone
        await cancelWhenGracefulShutdown {
            await runIfMissed(BillingPeriod.containing(billing.clock.now(), in: timeZone))
            while !Task.isCancelled {
                let now = billing.clock.now()
                let next = Self.nextStart(after: now, in: timeZone)
                try? await Task.sleep(for: .seconds(max(1, next.timeIntervalSince(now))))
                if Task.isCancelled { break }
                if billing.clock.now() >= next { await run(BillingPeriod.containing(next, in: timeZone)) }
            }
        }
    }

    private func runIfMissed(_ period: BillingPeriod) async {
        do {
            let completed = try await billing.database.first(
                "SELECT 1 AS one FROM billing_runs WHERE period = $1 AND dry_run = FALSE AND status = 'completed'", period.description)
            if completed == nil { await run(period) }
        } catch {
            billing.logger.error("monthly run check failed", metadata: ["error": "\(error)"])
        }
    }

    /// Runs `period`; a failed run (the database away, a lost lease) is started again after
    /// ``BillingSettings/runRetryDelay``, up to ``BillingSettings/runAttempts`` times. The run's idempotency makes a
    /// repeat create only what is missing.
    private func run(_ period: BillingPeriod) async {
        let (delay, attempts) = (billing.settings.runRetryDelay, max(1, billing.settings.runAttempts))
        for attempt in 1...attempts {
            do {
                _ = try await billing.runBilling(period: period, dryRun: false, by: nil)
                return
            } catch BillingError.runInProgress(let runID) {
                billing.logger.info("monthly run already running elsewhere", metadata: ["run_id": "\(runID)"])
                return
            } catch {
                let last = attempt == attempts
                billing.logger.error(
                    last ? "monthly run failed; not trying again before the process restarts" : "monthly run failed; trying again",
                    metadata: ["period": "\(period)", "attempt": "\(attempt)", "error": "\(error)"])
                if last { return }
            }
            try? await Task.sleep(for: .seconds(delay))
            if Task.isCancelled { return }
        }
    }
}
