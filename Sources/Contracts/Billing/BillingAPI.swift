import Kernel

/// Whose billing data a call is about: the signed-in customer's own (by user) or any customer's (operators).
///
/// Customer routes always pass ``user(_:)`` with the token's subject, so a customer can never name another
/// customer's account; objects that belong to someone else answer ``BillingError/notFound``.
public enum AccountOwner: Sendable, Hashable, Codable {
    /// The customer whose account belongs to this user.
    case user(String)
    /// The customer with this id.
    case customer(String)
}

/// The billing service as the gateway and other services see it (seed: Billing Service).
public protocol BillingAPI: Sendable {
    // MARK: Accounts and ledger

    /// Opens the billing account of a customer; calling it again changes nothing.
    func openAccount(customerID: String, userID: String) async throws -> AccountBalance
    /// Balance, credit limit and what may be spent.
    func balance(of owner: AccountOwner) async throws -> AccountBalance
    /// The account's ledger lines, newest first.
    func transactions(of owner: AccountOwner, page: PageRequest) async throws -> Page<AccountTransaction>
    /// Checks every ledger invariant; the report lists each breach.
    func verifyLedger() async throws -> LedgerVerification
    /// Sets a customer's own credit limit (operators); `nil` returns them to the default of their tariffs.
    func setCreditLimit(customerID: String, creditLimit: Money?) async throws -> AccountBalance
    /// Sets the language (`ru` or `en`) of the account's statement lines and invoice texts.
    func setLocale(of owner: AccountOwner, locale: String) async throws

    // MARK: Tariffs and subscriptions

    /// Tariffs; archived ones only when asked.
    func tariffs(includeArchived: Bool) async throws -> [Tariff]
    /// Creates a tariff with its first price.
    func createTariff(_ input: NewTariff) async throws -> Tariff
    /// Sets a tariff's price from a day on (earlier prices stay for earlier days).
    func setTariffPrice(tariffID: String, monthlyPrice: Money, effectiveFrom: LocalDate) async throws -> Tariff
    /// Archives a tariff: no new subscriptions, existing ones keep it.
    func archiveTariff(tariffID: String) async throws -> Tariff
    /// The account's subscriptions.
    func subscriptions(of owner: AccountOwner) async throws -> [Subscription]
    /// Subscribes a customer's contract to a tariff.
    func createSubscription(_ input: NewSubscription) async throws -> Subscription
    /// Ends a subscription from a day on.
    func terminateSubscription(subscriptionID: String, endsOn: LocalDate) async throws -> Subscription
    /// The exact prorated amounts a tariff change would make, without making it.
    func previewTariffChange(of owner: AccountOwner, _ change: TariffChange) async throws -> TariffChangePreview
    /// Changes the tariff; the amounts equal the preview's for the same day.
    func changeTariff(of owner: AccountOwner, _ change: TariffChange, idempotency: IdempotencyToken) async throws -> TariffChangePreview
    /// Pauses a subscription ("vacation") for whole days, crediting the unused days.
    func pause(of owner: AccountOwner, _ pause: SubscriptionPause, idempotency: IdempotencyToken) async throws -> Subscription

    // MARK: Invoices

    /// The account's invoices, newest first.
    func invoices(of owner: AccountOwner, page: PageRequest) async throws -> Page<Invoice>
    /// One invoice with its lines.
    func invoice(id: String, of owner: AccountOwner) async throws -> InvoiceDetail

    // MARK: Payments

    /// Pays an invoice from the balance, or starts a payment (invoice or top-up) through a provider.
    func pay(of owner: AccountOwner, _ order: PaymentOrder, idempotency: IdempotencyToken) async throws -> Payment
    /// Records money an operator received (cash, bank transfer).
    func recordPayment(_ input: ManualPayment, by operatorID: String, idempotency: IdempotencyToken) async throws -> Payment
    /// Returns money of a succeeded payment, in full or in part.
    func refund(_ input: RefundRequest, by operatorID: String, idempotency: IdempotencyToken) async throws -> Payment
    /// One payment.
    func payment(id: String, of owner: AccountOwner) async throws -> Payment
    /// Reads a payment provider's notification (verifying its signature where the provider signs), asks the provider
    /// for the state of what it names and applies it; repeats change nothing. Returns the body the provider expects in
    /// the answer.
    func handleProviderNotification(_ notification: ProviderNotificationInput) async throws -> String
    /// The payment providers customers may choose.
    func paymentProviders() async throws -> [PaymentProviderInfo]
    /// The account's saved payment methods.
    func savedMethods(of owner: AccountOwner) async throws -> [SavedPaymentMethod]
    /// Forgets a saved method (autopay with it stops).
    func deleteSavedMethod(id: String, of owner: AccountOwner) async throws
    /// The account's autopay.
    func autopay(of owner: AccountOwner) async throws -> Autopay
    /// Turns autopay on or off, with a saved method of the account's own.
    func setAutopay(of owner: AccountOwner, _ settings: AutopaySettings) async throws -> Autopay

    // MARK: Promised payment

    /// Whether the account may take a promised payment now, and on what terms.
    func promisedPaymentOffer(of owner: AccountOwner) async throws -> PromisedPaymentOffer
    /// Takes a promised payment: temporary credit that lifts a suspension at once and expires by itself.
    func takePromisedPayment(of owner: AccountOwner, amount: Money, idempotency: IdempotencyToken) async throws -> PromisedPayment

    // MARK: Operators

    /// Starts the monthly run for a period (at most one at a time); returns at once with its progress.
    func startBillingRun(period: BillingPeriod, dryRun: Bool, by operatorID: String?) async throws -> BillingRun
    /// A run's progress or result.
    func billingRun(id: String) async throws -> BillingRun
    /// Recent runs, newest first.
    func billingRuns(page: PageRequest) async throws -> Page<BillingRun>
    /// Customers whose balance is below zero, most owed first.
    func debtors(page: PageRequest) async throws -> Page<Debtor>
}
