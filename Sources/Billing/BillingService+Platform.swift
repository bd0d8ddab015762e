import Messaging
import ServerKit
import ServiceKit
import ServiceLifecycle
import Storage

extension BillingService: PlatformService {
    /// `billing`.
    public var name: String { "billing" }
    /// Accounts, ledger, tariffs, subscriptions, invoices, payments, runs.
    public var migrations: [MigrationSet] { [BillingMigrations.set] }
    /// Opens an account for every new customer; schedules autopay for every issued invoice.
    public var consumers: [EventConsumer] { [customerCreatedConsumer(), autopayConsumer()] }

    /// The run worker; with `schedules`, the monthly run's scheduler and the debt sweep (both singletons under a
    /// lease, so any number of billing processes may run them) and the reconciliation of pending provider payments.
    public func backgroundWork(schedules: Bool) -> [any Service] {
        var work: [any Service] = [BillingRunWorker(billing: self)]
        if schedules {
            work += [MonthlyRunScheduler(billing: self), DebtSweepJob(billing: self), ProviderSagaJob(billing: self), AutopayJob(billing: self)]
        }
        return work
    }

    /// ``BillingInternalRoutes``.
    public func registerInternalRoutes(on router: SecureRouter) { BillingInternalRoutes(billing: self).register(on: router) }
}
