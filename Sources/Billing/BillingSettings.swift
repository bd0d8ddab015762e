import Foundation
import Kernel

/// Tunables of the billing service; defaults are the production values.
public struct BillingSettings: Sendable {
    /// The currency of every account.
    public var currency: Currency = .rub
    /// The operator's time zone: periods, due days and the monthly run's start follow it.
    public var timeZone: TimeZone = .moscow
    /// Days after the first day of a period until its invoice is due.
    public var paymentTermDays = 10
    /// Days after the due day before an unpaid invoice counts as overdue.
    public var graceDays = 5
    /// The largest promised payment.
    public var promisedPaymentMaximum: Money = .rub(500_00)
    /// How many days a promised payment lasts.
    public var promisedPaymentDays = 3
    /// How many days must pass between taking two promised payments.
    public var promisedPaymentCooldownDays = 30
    /// The longest pause, in days.
    public var maximumPauseDays = 90
    /// Customers per batch of the monthly run (one transaction each).
    public var runBatchSize = 5000
    /// Batches of the monthly run written at once, each on its own connection (PostgreSQL; SQLite writes one at a
    /// time). With more than one, each batch reserves its invoice numbers outside its transaction.
    public var runParallelBatches = 2
    /// How long the monthly run's lease lasts without renewal, in seconds; a crashed runner's lease runs out after it.
    public var runLeaseDuration: TimeInterval = 120
    /// Secrets that sign each payment provider's notifications, by provider name.
    public var providerSecrets: [String: String] = ["sandbox": "sandbox-secret"]
    /// Provider payments: the saga's reconciliation and the receipts.
    public var payments = PaymentSettings()
    /// The public base URL customers are sent to for provider confirmation pages (the gateway's origin).
    public var publicBaseURL = "http://localhost:8080"
    /// How often the debt sweep runs, in seconds.
    public var sweepInterval: TimeInterval = 300
    /// How long the scheduler waits before trying a failed monthly run again, in seconds.
    public var runRetryDelay: TimeInterval = 60
    /// How many times the scheduler starts a period's run before it gives up until the next start of the process.
    public var runAttempts = 10

    // Money safety: bounds on what callers may ask for.

    /// The largest amount any money input may carry (payments, top-ups, refunds, promised payments, tariff prices,
    /// credit limits); a larger one is refused naming its field, long before a balance could overflow.
    public var maximumAmount: Money = .rub(10_000_000_00)
    /// Whether the monthly run may bill a period after the current one. Tests only: it is read from no setting and no
    /// route, so an operator can never invoice next month today.
    public var allowsFuturePeriods = false

    /// Production defaults.
    public init() {}
}
