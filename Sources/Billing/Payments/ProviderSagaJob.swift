import Contracts
import Foundation
import Kernel
import Logging
import ServiceLifecycle

/// Finishes provider payments and refunds left pending by a lost answer, a crash or a missed notification: every
/// ``PaymentSettings/reconcileInterval`` seconds it asks the provider about each one older than
/// ``PaymentSettings/reconcileAfter`` and applies the answer (``BillingService/reconcilePending()``). Any number of
/// billing processes may run it: every step is idempotent and settles under the row's state. From 03:00 in the
/// operator's time zone it also reconciles yesterday with each provider's list, once a day
/// (``BillingService/reconcileYesterday()``).
public struct ProviderSagaJob: Service {
    private let billing: BillingService

    /// Creates the job of a billing service.
    public init(billing: BillingService) { self.billing = billing }

    /// Reconciles, then waits, until the service group shuts down.
    public func run() async throws {
        let interval = Duration.seconds(billing.paymentSettings.reconcileInterval)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await billing.reconcilePending()
                    if report.looked > 0 { billing.logger.info("pending provider operations reconciled", metadata: ["report": "\(report)"]) }
                    if billing.clock.now() >= billing.today.start(in: billing.settings.timeZone).addingTimeInterval(3 * 3600) {
                        _ = try await billing.reconcileYesterday()
                    }
                } catch {
                    billing.logger.error("reconciling pending provider operations failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}

/// What one round of ``BillingService/reconcilePending()`` did.
public struct PendingReconciliation: Sendable, Hashable, CustomStringConvertible {
    /// Payments and refunds asked about.
    public var looked = 0
    /// Those that are final now.
    public var settled = 0
    /// Those whose provider did not answer (tried again next round).
    public var unanswered = 0

    /// `looked=… settled=… unanswered=…`.
    public var description: String { "looked=\(looked) settled=\(settled) unanswered=\(unanswered)" }
}

extension BillingService {
    /// Asks the providers about every payment and refund pending for longer than ``PaymentSettings/reconcileAfter``
    /// and applies what they say.
    public func reconcilePending() async throws -> PendingReconciliation {
        var report = PendingReconciliation()
        let before = clock.now().addingTimeInterval(-paymentSettings.reconcileAfter)
        for id in try await PaymentStore.pendingProviderPayments(before: before, limit: paymentSettings.reconcileBatch, in: database) {
            try Task.checkCancellation()
            report.looked += 1
            try await PaymentStore.touch(id: id, at: clock.now(), in: database)
            do {
                if try await refresh(paymentID: id).status != .pending { report.settled += 1 }
            } catch {
                report.unanswered += 1
                logger.warning("pending payment not reconciled", metadata: ["payment": "\(id)", "error": "\(error)"])
            }
        }
        for id in try await RefundStore.pending(before: before, limit: paymentSettings.reconcileBatch, in: database) {
            try Task.checkCancellation()
            report.looked += 1
            try await RefundStore.touch(id: id, at: clock.now(), in: database)
            do {
                try await refreshRefund(id: id)
                if try await RefundStore.find(id: id, in: database)?.status != "pending" { report.settled += 1 }
            } catch {
                report.unanswered += 1
                logger.warning("pending refund not reconciled", metadata: ["refund": "\(id)", "error": "\(error)"])
            }
        }
        return report
    }
}
