import Foundation
import Logging
import ServiceLifecycle

/// Runs ``BillingService/sweepDebt()`` every ``BillingSettings/sweepInterval`` seconds until shutdown.
public struct DebtSweepJob: Service {
    private let billing: BillingService

    /// Creates the job of a billing service.
    public init(billing: BillingService) { self.billing = billing }

    /// Sweeps, then waits, until the service group shuts down.
    public func run() async throws {
        let interval = Duration.seconds(billing.settings.sweepInterval)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await billing.sweepDebt()
                    if report != DebtSweepReport() { billing.logger.info("debt sweep", metadata: ["report": "\(report)"]) }
                } catch {
                    billing.logger.error("debt sweep failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
