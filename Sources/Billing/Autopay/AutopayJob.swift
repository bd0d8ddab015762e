import Foundation
import Logging
import ServiceLifecycle

/// Runs ``BillingService/runAutopay()`` every ``PaymentSettings/autopayInterval`` seconds until shutdown. Any number
/// of billing processes may run it: a charge is claimed by one of them in a transaction before its payment starts.
public struct AutopayJob: Service {
    private let billing: BillingService

    /// Creates the job of a billing service.
    public init(billing: BillingService) { self.billing = billing }

    /// Charges, then waits, until the service group shuts down.
    public func run() async throws {
        let interval = Duration.seconds(billing.paymentSettings.autopayInterval)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let started = try await billing.runAutopay()
                    if started > 0 { billing.logger.info("autopay charges started", metadata: ["count": "\(started)"]) }
                } catch {
                    billing.logger.error("autopay round failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
