import Acquiring
import Contracts
import Foundation
import Kernel
import Logging
import Messaging
import Storage

/// The billing service (seed: Billing Service): tariffs, subscriptions, the monthly run, payments on a double-entry
/// ledger, debt and promised payments. See `README.md` in this folder for the accounting model.
public final class BillingService: BillingAPI {
    let database: any Database
    let settings: BillingSettings
    let clock: any WallClock
    let logger: Logger
    let idempotency: BillingIdempotency
    let providers: PaymentProviders
    let runs: BillingRunQueue

    /// Creates the service over a database migrated with ``BillingMigrations/set`` (and `StorageMigrations.set`).
    /// The sandbox provider is always present; `providers` adds others.
    public init(
        database: any Database, settings: BillingSettings = BillingSettings(), clock: any WallClock = SystemClock(),
        providers: [any PaymentProvider] = [], logger: Logger = Logger(label: "lastmile.billing")
    ) {
        self.database = database
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.idempotency = BillingIdempotency(keys: IdempotencyKeys(database: database, clock: clock))
        self.providers = PaymentProviders(settings: settings, database: database, clock: clock, others: providers)
        self.runs = BillingRunQueue()
    }

    /// Today in the operator's time zone.
    var today: LocalDate { LocalDate(containing: clock.now(), in: settings.timeZone) }

    /// `amount` in the service's currency.
    func money(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: settings.currency) }

    /// Throws unless `amount` is positive, in the service's currency and at most ``BillingSettings/maximumAmount``.
    func requirePositive(_ amount: Money, field: String) throws {
        try requireWithinMaximum(amount, field: field)
        guard amount.isPositive else { throw BillingError.invalidField(field: field, reason: "must be positive") }
    }

    /// Throws unless `amount` is zero or positive, in the service's currency and at most
    /// ``BillingSettings/maximumAmount``.
    func requireNonNegative(_ amount: Money, field: String) throws {
        try requireWithinMaximum(amount, field: field)
        guard !amount.isNegative else { throw BillingError.invalidField(field: field, reason: "must not be negative") }
    }

    /// Throws unless `amount` is in the service's currency and not above ``BillingSettings/maximumAmount``.
    private func requireWithinMaximum(_ amount: Money, field: String) throws {
        guard amount.currency == settings.currency else {
            throw BillingError.invalidField(field: field, reason: "must be in \(settings.currency.code)")
        }
        guard amount.minorUnits <= settings.maximumAmount.minorUnits else {
            throw BillingError.invalidField(
                field: field, reason: "must not exceed \(settings.maximumAmount.minorUnits) minor units (\(settings.maximumAmount))")
        }
    }

    /// The idempotency scope of a caller: customers' keys never meet operators' keys.
    static func caller(_ owner: AccountOwner) -> String {
        switch owner {
        case .user(let id): "user:" + id
        case .customer(let id): "customer:" + id
        }
    }
}
