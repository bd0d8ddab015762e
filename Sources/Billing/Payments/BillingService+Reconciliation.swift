import Acquiring
import Contracts
import Foundation
import Kernel
import Logging
import Storage

/// One difference between our books and a provider's list of a day.
public struct AcquirerDifference: Sendable, Hashable, CustomStringConvertible {
    /// What differs.
    public enum Kind: String, Sendable, Hashable {
        /// The provider took money we have no succeeded payment for.
        case missingOnOurSide = "missing_on_our_side"
        /// We count money the provider does not list as taken.
        case missingOnTheirSide = "missing_on_their_side"
        /// Both have it, with different amounts.
        case amountMismatch = "amount_mismatch"
        /// The provider returned money we have no succeeded refund for, or the other way round.
        case refundMismatch = "refund_mismatch"
    }

    /// What differs.
    public var kind: Kind
    /// Our payment's id, when we have one.
    public var paymentID: String?
    /// The provider's id, when it has one.
    public var providerID: String?
    /// Our amount, in minor units.
    public var ourAmount: Int64?
    /// Its amount, in minor units.
    public var theirAmount: Int64?
    /// What was done: `settled` (our side now agrees) or `open` (for a person to look at).
    public var resolution: String

    /// `kind payment/provider ours/theirs resolution`.
    public var description: String {
        "\(kind.rawValue) payment=\(paymentID ?? "-") provider_id=\(providerID ?? "-") ours=\(ourAmount.map(String.init) ?? "-") "
            + "theirs=\(theirAmount.map(String.init) ?? "-") \(resolution)"
    }
}

/// What ``BillingService/reconcile(provider:day:)`` found.
public struct AcquirerReconciliation: Sendable {
    /// The provider.
    public var provider: String
    /// The day, in the operator's time zone.
    public var day: LocalDate
    /// Operations compared (ours and theirs).
    public var checked: Int
    /// The differences; those `settled` were put right on our side.
    public var differences: [AcquirerDifference]

    /// Whether anything is left for a person.
    public var hasOpenDifferences: Bool { differences.contains { $0.resolution == "open" } }
}

// Reconciliation with the acquirer: a day's payments and refunds in the provider's list (its API) against ours.
// What the provider says it took for a payment we still hold as pending is settled from the provider's state (the
// same lookup as a notification); everything else is stored and reported for a person.
extension BillingService {
    /// Compares a day's operations of `provider` with ours, settles what it safely can and stores the rest.
    public func reconcile(provider name: String, day: LocalDate) async throws -> AcquirerReconciliation {
        guard let provider = providers[name], name != "sandbox" || providers.sandbox != nil else {
            throw BillingError.invalidField(field: "provider", reason: "not a configured provider")
        }
        let interval = DateInterval(start: day.start(in: settings.timeZone), end: day.adding(days: 1).start(in: settings.timeZone))
        let ours = try await database.query(
            """
            SELECT id, amount, status, refunded_amount, provider_payment_id FROM payments
            WHERE provider = $1 AND method = 'provider' AND created_at >= $2 AND created_at < $3
            """,
            name, interval.start, interval.end)
        let theirs: [ProviderOperation]
        do {
            theirs = try await providers.call(provider, "operations") { provider async throws(ProviderError) in
                try await provider.operations(in: interval)
            }
        } catch ProviderError.refused(code: "unsupported", _) {
            theirs = try await operationsOneByOne(ours, provider: provider, at: interval.start)
        }
        var ourByProviderID: [String: SQLRow] = [:]
        var ourByID: [String: SQLRow] = [:]
        for row in ours {
            ourByID[try row.string("id")] = row
            if let providerID = try row.optionalString("provider_payment_id") { ourByProviderID[providerID] = row }
        }
        var differences: [AcquirerDifference] = []
        var seen = Set<String>()
        for operation in theirs where operation.kind == .payment {
            let row = ourByProviderID[operation.providerPaymentID] ?? operation.paymentID.flatMap { ourByID[$0] }
            guard let row else {
                if operation.succeeded == true {
                    differences.append(
                        AcquirerDifference(
                            kind: .missingOnOurSide, paymentID: operation.paymentID, providerID: operation.providerID, ourAmount: nil,
                            theirAmount: operation.amount.minorUnits, resolution: "open"))
                }
                continue
            }
            let id = try row.string("id")
            seen.insert(id)
            let amount = try row.int64("amount")
            let status = try row.string("status")
            let weHaveIt = ["succeeded", "partially_refunded", "refunded"].contains(status)
            if operation.succeeded == true && amount != operation.amount.minorUnits {
                differences.append(
                    AcquirerDifference(
                        kind: .amountMismatch, paymentID: id, providerID: operation.providerID, ourAmount: amount,
                        theirAmount: operation.amount.minorUnits, resolution: "open"))
            } else if operation.succeeded == true && !weHaveIt {
                var settled = false
                if status == "pending" { settled = (try? await refresh(paymentID: id))?.status == .succeeded }
                differences.append(
                    AcquirerDifference(
                        kind: .missingOnOurSide, paymentID: id, providerID: operation.providerID, ourAmount: amount,
                        theirAmount: operation.amount.minorUnits, resolution: settled ? "settled" : "open"))
            } else if operation.succeeded == false && weHaveIt {
                differences.append(
                    AcquirerDifference(
                        kind: .missingOnTheirSide, paymentID: id, providerID: operation.providerID, ourAmount: amount, theirAmount: nil,
                        resolution: "open"))
            }
        }
        for (id, row) in ourByID where !seen.contains(id) {
            let status = try row.string("status")
            guard ["succeeded", "partially_refunded", "refunded"].contains(status) else { continue }
            differences.append(
                AcquirerDifference(
                    kind: .missingOnTheirSide, paymentID: id, providerID: try row.optionalString("provider_payment_id"),
                    ourAmount: try row.int64("amount"), theirAmount: nil, resolution: "open"))
        }
        let theirRefunds = Dictionary(grouping: theirs.filter { $0.kind == .refund && $0.succeeded == true }, by: \.providerPaymentID)
            .mapValues { $0.reduce(Int64(0)) { $0 &+ $1.amount.minorUnits } }
        for (providerPaymentID, returned) in theirRefunds {
            guard let row = ourByProviderID[providerPaymentID] else { continue }
            let refunded = try row.int64("refunded_amount")
            if refunded != returned {
                differences.append(
                    AcquirerDifference(
                        kind: .refundMismatch, paymentID: try row.string("id"), providerID: providerPaymentID, ourAmount: refunded,
                        theirAmount: returned, resolution: "open"))
            }
        }
        let report = AcquirerReconciliation(provider: name, day: day, checked: theirs.count + ours.count, differences: differences)
        try await store(report)
        return report
    }

    /// A provider that lists no days (T-Bank): each of our payments of the day asked for by itself.
    private func operationsOneByOne(_ ours: [SQLRow], provider: any PaymentProvider, at time: Date) async throws -> [ProviderOperation] {
        var operations: [ProviderOperation] = []
        for row in ours {
            let id = try row.string("id")
            guard let record = try await PaymentStore.providerRecord(id: id, currency: settings.currency, in: database) else { continue }
            let reference = record.reference
            let state = try await providers.call(provider, "findPayment") { provider async throws(ProviderError) in
                try await provider.findPayment(reference)
            }
            guard let state else { continue }
            let succeeded: Bool? =
                switch state.status {
                case .succeeded: true
                case .canceled: false
                case .pending, .waitingForCapture: nil
                }
            operations.append(
                ProviderOperation(
                    kind: .payment, providerID: state.providerPaymentID, providerPaymentID: state.providerPaymentID, paymentID: id,
                    amount: state.amount, succeeded: succeeded, createdAt: time))
        }
        return operations
    }

    private func store(_ report: AcquirerReconciliation) async throws {
        let now = clock.now()
        try await database.transaction { tx in
            let day = report.day.description
            try await tx.query("DELETE FROM acquirer_differences WHERE provider = $1 AND day = $2", report.provider, day)
            for difference in report.differences {
                try await tx.query(
                    """
                    INSERT INTO acquirer_differences (id, provider, day, kind, payment_id, provider_id, our_amount, their_amount, resolution, found_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    """,
                    "ad_" + Identifier<Payment>.generate().rawValue, report.provider, day, difference.kind.rawValue, difference.paymentID,
                    difference.providerID, difference.ourAmount, difference.theirAmount, difference.resolution, now)
            }
            try await tx.query(
                """
                INSERT INTO acquirer_reconciliations (provider, day, checked, differences, ran_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (provider, day) DO UPDATE SET checked = excluded.checked, differences = excluded.differences, ran_at = excluded.ran_at
                """,
                report.provider, day, report.checked, report.differences.count, now)
        }
    }

    /// Reconciles yesterday (in the operator's time zone) with every provider not yet reconciled for it.
    public func reconcileYesterday() async throws -> [AcquirerReconciliation] {
        let yesterday = today.adding(days: -1)
        var reports: [AcquirerReconciliation] = []
        for offer in providers.offers {
            let done = try await database.query(
                "SELECT 1 AS done FROM acquirer_reconciliations WHERE provider = $1 AND day = $2", offer.name, yesterday.description)
            guard done.isEmpty else { continue }
            let report = try await reconcile(provider: offer.name, day: yesterday)
            if report.hasOpenDifferences {
                logger.error(
                    "the acquirer's list differs from ours",
                    metadata: ["provider": "\(offer.name)", "day": "\(yesterday)", "differences": "\(report.differences.count)"])
            }
            reports.append(report)
        }
        return reports
    }
}
