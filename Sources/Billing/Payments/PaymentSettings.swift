import Acquiring
import Foundation

/// Tunables of provider payments; defaults are the production values.
public struct PaymentSettings: Sendable {
    /// How long a payment whose creation the provider never confirmed is sent again before it counts as failed, in
    /// seconds (providers keep idempotency keys for a day; this stays well inside it).
    public var creationWindow: TimeInterval = 15 * 60
    /// How old a pending payment or refund must be before the reconciliation job asks the provider about it, in seconds.
    public var reconcileAfter: TimeInterval = 60
    /// How often the reconciliation job runs, in seconds.
    public var reconcileInterval: TimeInterval = 60
    /// The most pending operations the job looks at per round.
    public var reconcileBatch = 200
    /// How long after an automatic charge is scheduled (and the customer told) it is taken, in seconds.
    public var autopayNotice: TimeInterval = 3600
    /// After how many failed automatic charges in a row autopay turns itself off.
    public var autopayMaximumFailures = 3
    /// How often the autopay job looks for charges that are due, in seconds.
    public var autopayInterval: TimeInterval = 30
    /// The seller's tax system printed on receipts, when the registers need it.
    public var taxSystem: FiscalTaxSystem?

    /// Production defaults.
    public init() {}
}

extension BillingService {
    /// ``BillingSettings/payments``.
    var paymentSettings: PaymentSettings { settings.payments }
}
