/// The customer service's module marker; the service itself is `CustomersService`.
public enum CustomersModule {}
