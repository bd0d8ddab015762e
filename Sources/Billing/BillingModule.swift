/// The billing service's module marker; the service itself is `BillingService`.
public enum BillingModule {}
