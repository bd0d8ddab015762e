import Contracts
import Kernel

/// ``BillingAPI`` in another process: each method is a call of its ``BillingOperations`` operation.
public struct BillingClient: BillingAPI {
    private let remote: RemoteService

    /// A client over `remote` (whose service is `billing`).
    public init(remote: RemoteService) { self.remote = remote }

    /// Opens a customer's account.
    public func openAccount(customerID: String, userID: String) async throws -> AccountBalance {
        try await remote.call(BillingOperations.openAccount, .init(customerID: customerID, userID: userID))
    }

    /// An account's balance.
    public func balance(of owner: AccountOwner) async throws -> AccountBalance {
        try await remote.call(BillingOperations.balance, .init(owner: owner))
    }

    /// An account's ledger entries.
    public func transactions(of owner: AccountOwner, page: PageRequest) async throws -> Page<AccountTransaction> {
        try await remote.call(BillingOperations.transactions, .init(owner: owner, page: page))
    }

    /// Checks that the ledger balances.
    public func verifyLedger() async throws -> LedgerVerification {
        try await remote.call(BillingOperations.verifyLedger, NoContent())
    }

    /// Sets a customer's credit limit.
    public func setCreditLimit(customerID: String, creditLimit: Money?) async throws -> AccountBalance {
        try await remote.call(BillingOperations.setCreditLimit, .init(customerID: customerID, creditLimit: creditLimit))
    }

    /// Sets the language of an account's documents.
    public func setLocale(of owner: AccountOwner, locale: String) async throws {
        _ = try await remote.call(BillingOperations.setLocale, .init(owner: owner, locale: locale))
    }

    /// The tariffs.
    public func tariffs(includeArchived: Bool) async throws -> [Tariff] {
        try await remote.call(BillingOperations.tariffs, .init(includeArchived: includeArchived))
    }

    /// Creates a tariff.
    public func createTariff(_ input: NewTariff) async throws -> Tariff {
        try await remote.call(BillingOperations.createTariff, input)
    }

    /// Schedules a tariff's new price.
    public func setTariffPrice(tariffID: String, monthlyPrice: Money, effectiveFrom: LocalDate) async throws -> Tariff {
        try await remote.call(
            BillingOperations.setTariffPrice, .init(tariffID: tariffID, monthlyPrice: monthlyPrice, effectiveFrom: effectiveFrom))
    }

    /// Archives a tariff.
    public func archiveTariff(tariffID: String) async throws -> Tariff {
        try await remote.call(BillingOperations.archiveTariff, .init(id: tariffID))
    }

    /// An account's subscriptions.
    public func subscriptions(of owner: AccountOwner) async throws -> [Subscription] {
        try await remote.call(BillingOperations.subscriptions, .init(owner: owner))
    }

    /// Creates a subscription.
    public func createSubscription(_ input: NewSubscription) async throws -> Subscription {
        try await remote.call(BillingOperations.createSubscription, input)
    }

    /// Ends a subscription.
    public func terminateSubscription(subscriptionID: String, endsOn: LocalDate) async throws -> Subscription {
        try await remote.call(BillingOperations.terminateSubscription, .init(subscriptionID: subscriptionID, endsOn: endsOn))
    }

    /// Prices a tariff change.
    public func previewTariffChange(of owner: AccountOwner, _ change: TariffChange) async throws -> TariffChangePreview {
        try await remote.call(BillingOperations.previewTariffChange, .init(owner: owner, change: change))
    }

    /// Changes a tariff.
    public func changeTariff(of owner: AccountOwner, _ change: TariffChange, idempotency: IdempotencyToken) async throws
        -> TariffChangePreview
    {
        try await remote.call(BillingOperations.changeTariff, .init(owner: owner, change: change, idempotency: idempotency))
    }

    /// Pauses a subscription.
    public func pause(of owner: AccountOwner, _ pause: SubscriptionPause, idempotency: IdempotencyToken) async throws -> Subscription {
        try await remote.call(BillingOperations.pause, .init(owner: owner, change: pause, idempotency: idempotency))
    }

    /// An account's invoices.
    public func invoices(of owner: AccountOwner, page: PageRequest) async throws -> Page<Invoice> {
        try await remote.call(BillingOperations.invoices, .init(owner: owner, page: page))
    }

    /// One invoice with its lines.
    public func invoice(id: String, of owner: AccountOwner) async throws -> InvoiceDetail {
        try await remote.call(BillingOperations.invoice, .init(id: id, owner: owner))
    }

    /// Pays from the balance or through a provider.
    public func pay(of owner: AccountOwner, _ order: PaymentOrder, idempotency: IdempotencyToken) async throws -> Payment {
        try await remote.call(BillingOperations.pay, .init(owner: owner, change: order, idempotency: idempotency))
    }

    /// Records a payment an operator took.
    public func recordPayment(_ input: ManualPayment, by operatorID: String, idempotency: IdempotencyToken) async throws -> Payment {
        try await remote.call(BillingOperations.recordPayment, .init(order: input, operatorID: operatorID, idempotency: idempotency))
    }

    /// Refunds a payment.
    public func refund(_ input: RefundRequest, by operatorID: String, idempotency: IdempotencyToken) async throws -> Payment {
        try await remote.call(BillingOperations.refund, .init(order: input, operatorID: operatorID, idempotency: idempotency))
    }

    /// One payment.
    public func payment(id: String, of owner: AccountOwner) async throws -> Payment {
        try await remote.call(BillingOperations.payment, .init(id: id, owner: owner))
    }

    /// Applies a provider's notification; answers the body the provider expects.
    public func handleProviderNotification(_ notification: ProviderNotificationInput) async throws -> String {
        try await remote.call(BillingOperations.providerNotification, notification)
    }

    /// The payment providers customers may choose.
    public func paymentProviders() async throws -> [PaymentProviderInfo] {
        try await remote.call(BillingOperations.paymentProviders, NoContent())
    }

    /// The account's saved payment methods.
    public func savedMethods(of owner: AccountOwner) async throws -> [SavedPaymentMethod] {
        try await remote.call(BillingOperations.savedMethods, .init(owner: owner))
    }

    /// Forgets a saved method.
    public func deleteSavedMethod(id: String, of owner: AccountOwner) async throws {
        _ = try await remote.call(BillingOperations.deleteSavedMethod, .init(id: id, owner: owner))
    }

    /// The account's autopay.
    public func autopay(of owner: AccountOwner) async throws -> Autopay {
        try await remote.call(BillingOperations.autopay, .init(owner: owner))
    }

    /// Turns autopay on or off.
    public func setAutopay(of owner: AccountOwner, _ settings: AutopaySettings) async throws -> Autopay {
        try await remote.call(BillingOperations.setAutopay, .init(owner: owner, change: settings))
    }

    /// What promised payment the account may take now.
    public func promisedPaymentOffer(of owner: AccountOwner) async throws -> PromisedPaymentOffer {
        try await remote.call(BillingOperations.promisedPaymentOffer, .init(owner: owner))
    }

    /// Takes a promised payment.
    public func takePromisedPayment(of owner: AccountOwner, amount: Money, idempotency: IdempotencyToken) async throws
        -> PromisedPayment
    {
        try await remote.call(BillingOperations.takePromisedPayment, .init(owner: owner, amount: amount, idempotency: idempotency))
    }

    /// Starts the monthly run.
    public func startBillingRun(period: BillingPeriod, dryRun: Bool, by operatorID: String?) async throws -> BillingRun {
        try await remote.call(BillingOperations.startBillingRun, .init(period: period, dryRun: dryRun, operatorID: operatorID))
    }

    /// One run.
    public func billingRun(id: String) async throws -> BillingRun {
        try await remote.call(BillingOperations.billingRun, .init(id: id))
    }

    /// The runs, newest first.
    public func billingRuns(page: PageRequest) async throws -> Page<BillingRun> {
        try await remote.call(BillingOperations.billingRuns, .init(page: page))
    }

    /// The accounts in debt.
    public func debtors(page: PageRequest) async throws -> Page<Debtor> {
        try await remote.call(BillingOperations.debtors, .init(page: page))
    }
}
