import Storage

/// The billing service's tables, in order. Days are stored as day numbers since 1970-01-01 (integers), periods as
/// `YYYY-MM`, money as kopecks, times as microseconds.
public enum BillingMigrations {
    /// Migrations of the `billing` service.
    public static let set = MigrationSet(
        service: "billing",
        migrations: [
            CreateBillingAccounts(), CreateTariffs(), CreateSubscriptions(), CreateInvoices(), CreatePayments(), CreateLedger(),
            CreatePromisedPayments(), CreateBillingRuns(), CreateSubscriptionSuspensions(), CreateSubscriptionCharges(), AddProviderSaga(),
        ])
}
