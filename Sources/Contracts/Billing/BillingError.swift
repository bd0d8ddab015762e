import Kernel

/// Every way a billing operation can be refused; each says its HTTP answer (`BillingError+Problem.swift`).
///
/// Codable so that an idempotent request's refusal can be saved and given again on replay.
public enum BillingError: Error, Sendable, Equatable, Codable {
    /// The object does not exist or is not the caller's.
    case notFound
    /// The value of a field breaks a rule; `field` names it.
    case invalidField(field: String, reason: String)
    /// Not enough money: `available` is what may be spent now.
    case insufficientFunds(available: Money)
    /// The invoice cannot be paid in its state (`paid`, `void`).
    case invoiceNotPayable(status: String)
    /// The request conflicts with the current state; `reason` says how.
    case conflict(reason: String)
    /// The idempotency key's first request is still running.
    case idempotencyKeyInProgress
    /// The idempotency key was used with a different request.
    case idempotencyKeyReused
    /// A promised payment is not possible now; `reason` is a stable code (`open`, `too-soon`, `amount`, `not-needed`).
    case promisedPaymentRefused(reason: String)
    /// A monthly run is running already.
    case runInProgress(runID: String)
    /// The payment provider did not answer in time; what was asked is pending and finishes on a retry with the same
    /// idempotency key or by the reconciliation.
    case providerUnavailable(provider: String)
    /// A provider notification's signature does not verify.
    case invalidSignature
}

extension BillingError: RemoteError {
    /// Travels between processes under this name.
    public static let remoteName = "BillingError"
}
