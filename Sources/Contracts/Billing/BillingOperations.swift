import Kernel

/// ``BillingAPI`` as the billing service's internal HTTP API: one ``RemoteOperation`` per method, with the method's
/// arguments as the body. The service's routes and ``BillingAPI``'s client in another process both use these.
public enum BillingOperations {
    /// The service that answers these operations.
    public static let service = "billing"

    /// The arguments of a call about one account.
    public struct OwnerInput: Codable, Sendable {
        /// Whose account.
        public var owner: AccountOwner
        /// Creates the body.
        public init(owner: AccountOwner) { self.owner = owner }
    }

    /// The arguments of a list about one account.
    public struct OwnerPageInput: Codable, Sendable {
        /// Whose account.
        public var owner: AccountOwner
        /// Which page.
        public var page: PageRequest
        /// Creates the body.
        public init(owner: AccountOwner, page: PageRequest) {
            self.owner = owner
            self.page = page
        }
    }

    /// The arguments of a list that belongs to no account.
    public struct PageInput: Codable, Sendable {
        /// Which page.
        public var page: PageRequest
        /// Creates the body.
        public init(page: PageRequest) { self.page = page }
    }

    /// The arguments of a call about one object by id, as the account's owner sees it.
    public struct OwnedObjectInput: Codable, Sendable {
        /// The object.
        public var id: String
        /// Whose account it must belong to.
        public var owner: AccountOwner
        /// Creates the body.
        public init(id: String, owner: AccountOwner) {
            self.id = id
            self.owner = owner
        }
    }

    /// The arguments of a call about one object by id.
    public struct IDInput: Codable, Sendable {
        /// The object.
        public var id: String
        /// Creates the body.
        public init(id: String) { self.id = id }
    }

    /// The arguments of a change to an account's settings.
    public struct OwnerChangeInput<Change: Codable & Sendable>: Codable, Sendable {
        /// Whose account.
        public var owner: AccountOwner
        /// What to set.
        public var change: Change
        /// Creates the body.
        public init(owner: AccountOwner, change: Change) {
            self.owner = owner
            self.change = change
        }
    }

    /// The arguments of a change to an account's subscription, under an idempotency key.
    public struct KeyedOwnerInput<Change: Codable & Sendable>: Codable, Sendable {
        /// Whose account.
        public var owner: AccountOwner
        /// What to do.
        public var change: Change
        /// The caller's key.
        public var idempotency: IdempotencyToken
        /// Creates the body.
        public init(owner: AccountOwner, change: Change, idempotency: IdempotencyToken) {
            self.owner = owner
            self.change = change
            self.idempotency = idempotency
        }
    }

    /// The arguments of an operator's money operation, under an idempotency key.
    public struct OperatorInput<Order: Codable & Sendable>: Codable, Sendable {
        /// What to do.
        public var order: Order
        /// The operator.
        public var operatorID: String
        /// The operator's key.
        public var idempotency: IdempotencyToken
        /// Creates the body.
        public init(order: Order, operatorID: String, idempotency: IdempotencyToken) {
            self.order = order
            self.operatorID = operatorID
            self.idempotency = idempotency
        }
    }

    /// The arguments of ``BillingAPI/openAccount(customerID:userID:)``.
    public struct OpenAccountInput: Codable, Sendable {
        /// The customer.
        public var customerID: String
        /// The customer's user.
        public var userID: String
        /// Creates the body.
        public init(customerID: String, userID: String) {
            self.customerID = customerID
            self.userID = userID
        }
    }

    /// The arguments of ``BillingAPI/setCreditLimit(customerID:creditLimit:)``.
    public struct CreditLimitInput: Codable, Sendable {
        /// The customer.
        public var customerID: String
        /// The new limit; nil for the default.
        public var creditLimit: Money?
        /// Creates the body.
        public init(customerID: String, creditLimit: Money?) {
            self.customerID = customerID
            self.creditLimit = creditLimit
        }
    }

    /// The arguments of ``BillingAPI/setLocale(of:locale:)``.
    public struct LocaleInput: Codable, Sendable {
        /// Whose account.
        public var owner: AccountOwner
        /// The locale.
        public var locale: String
        /// Creates the body.
        public init(owner: AccountOwner, locale: String) {
            self.owner = owner
            self.locale = locale
        }
    }

    /// The arguments of ``BillingAPI/tariffs(includeArchived:)``.
    public struct TariffsInput: Codable, Sendable {
        /// Whether archived tariffs are listed too.
        public var includeArchived: Bool
        /// Creates the body.
        public init(includeArchived: Bool) { self.includeArchived = includeArchived }
    }

    /// The arguments of ``BillingAPI/setTariffPrice(tariffID:monthlyPrice:effectiveFrom:)``.
    public struct TariffPriceInput: Codable, Sendable {
        /// The tariff.
        public var tariffID: String
        /// The new monthly price.
        public var monthlyPrice: Money
        /// The first day it applies.
        public var effectiveFrom: LocalDate
        /// Creates the body.
        public init(tariffID: String, monthlyPrice: Money, effectiveFrom: LocalDate) {
            self.tariffID = tariffID
            self.monthlyPrice = monthlyPrice
            self.effectiveFrom = effectiveFrom
        }
    }

    /// The arguments of ``BillingAPI/terminateSubscription(subscriptionID:endsOn:)``.
    public struct TerminateInput: Codable, Sendable {
        /// The subscription.
        public var subscriptionID: String
        /// Its last day.
        public var endsOn: LocalDate
        /// Creates the body.
        public init(subscriptionID: String, endsOn: LocalDate) {
            self.subscriptionID = subscriptionID
            self.endsOn = endsOn
        }
    }

    /// The arguments of ``BillingAPI/previewTariffChange(of:_:)``.
    public struct PreviewInput: Codable, Sendable {
        /// Whose account.
        public var owner: AccountOwner
        /// The change to price.
        public var change: TariffChange
        /// Creates the body.
        public init(owner: AccountOwner, change: TariffChange) {
            self.owner = owner
            self.change = change
        }
    }

    /// The arguments of ``BillingAPI/takePromisedPayment(of:amount:idempotency:)``.
    public struct PromisedPaymentInput: Codable, Sendable {
        /// Whose account.
        public var owner: AccountOwner
        /// How much.
        public var amount: Money
        /// The caller's key.
        public var idempotency: IdempotencyToken
        /// Creates the body.
        public init(owner: AccountOwner, amount: Money, idempotency: IdempotencyToken) {
            self.owner = owner
            self.amount = amount
            self.idempotency = idempotency
        }
    }

    /// The arguments of ``BillingAPI/startBillingRun(period:dryRun:by:)``.
    public struct StartRunInput: Codable, Sendable {
        /// The month to bill.
        public var period: BillingPeriod
        /// Whether to compute without writing.
        public var dryRun: Bool
        /// The operator, if one started it.
        public var operatorID: String?
        /// Creates the body.
        public init(period: BillingPeriod, dryRun: Bool, operatorID: String?) {
            self.period = period
            self.dryRun = dryRun
            self.operatorID = operatorID
        }
    }

    /// ``BillingAPI/openAccount(customerID:userID:)``.
    public static let openAccount: RemoteOperation<OpenAccountInput, AccountBalance> = .once(service, "open-account")
    /// ``BillingAPI/balance(of:)``.
    public static let balance: RemoteOperation<OwnerInput, AccountBalance> = .repeatable(service, "balance")
    /// ``BillingAPI/transactions(of:page:)``.
    public static let transactions: RemoteOperation<OwnerPageInput, Page<AccountTransaction>> = .repeatable(service, "transactions")
    /// ``BillingAPI/verifyLedger()``.
    public static let verifyLedger: RemoteOperation<NoContent, LedgerVerification> = .repeatable(service, "verify-ledger")
    /// ``BillingAPI/setCreditLimit(customerID:creditLimit:)``.
    public static let setCreditLimit: RemoteOperation<CreditLimitInput, AccountBalance> = .once(service, "set-credit-limit")
    /// ``BillingAPI/setLocale(of:locale:)``.
    public static let setLocale: RemoteOperation<LocaleInput, NoContent> = .once(service, "set-locale")
    /// ``BillingAPI/tariffs(includeArchived:)``.
    public static let tariffs: RemoteOperation<TariffsInput, [Tariff]> = .repeatable(service, "tariffs")
    /// ``BillingAPI/createTariff(_:)``.
    public static let createTariff: RemoteOperation<NewTariff, Tariff> = .once(service, "create-tariff")
    /// ``BillingAPI/setTariffPrice(tariffID:monthlyPrice:effectiveFrom:)``.
    public static let setTariffPrice: RemoteOperation<TariffPriceInput, Tariff> = .once(service, "set-tariff-price")
    /// ``BillingAPI/archiveTariff(tariffID:)``.
    public static let archiveTariff: RemoteOperation<IDInput, Tariff> = .once(service, "archive-tariff")
    /// ``BillingAPI/subscriptions(of:)``.
    public static let subscriptions: RemoteOperation<OwnerInput, [Subscription]> = .repeatable(service, "subscriptions")
    /// ``BillingAPI/createSubscription(_:)``.
    public static let createSubscription: RemoteOperation<NewSubscription, Subscription> = .once(service, "create-subscription")
    /// ``BillingAPI/terminateSubscription(subscriptionID:endsOn:)``.
    public static let terminateSubscription: RemoteOperation<TerminateInput, Subscription> = .once(service, "terminate-subscription")
    /// ``BillingAPI/previewTariffChange(of:_:)``.
    public static let previewTariffChange: RemoteOperation<PreviewInput, TariffChangePreview> = .repeatable(service, "preview-tariff-change")
    /// ``BillingAPI/changeTariff(of:_:idempotency:)``.
    public static let changeTariff: RemoteOperation<KeyedOwnerInput<TariffChange>, TariffChangePreview> = .repeatable(service, "change-tariff")
    /// ``BillingAPI/pause(of:_:idempotency:)``.
    public static let pause: RemoteOperation<KeyedOwnerInput<SubscriptionPause>, Subscription> = .repeatable(service, "pause")
    /// ``BillingAPI/invoices(of:page:)``.
    public static let invoices: RemoteOperation<OwnerPageInput, Page<Invoice>> = .repeatable(service, "invoices")
    /// ``BillingAPI/invoice(id:of:)``.
    public static let invoice: RemoteOperation<OwnedObjectInput, InvoiceDetail> = .repeatable(service, "invoice")
    /// ``BillingAPI/pay(of:_:idempotency:)``.
    public static let pay: RemoteOperation<KeyedOwnerInput<PaymentOrder>, Payment> = .repeatable(service, "pay")
    /// ``BillingAPI/recordPayment(_:by:idempotency:)``.
    public static let recordPayment: RemoteOperation<OperatorInput<ManualPayment>, Payment> = .repeatable(service, "record-payment")
    /// ``BillingAPI/refund(_:by:idempotency:)``.
    public static let refund: RemoteOperation<OperatorInput<RefundRequest>, Payment> = .repeatable(service, "refund")
    /// ``BillingAPI/payment(id:of:)``.
    public static let payment: RemoteOperation<OwnedObjectInput, Payment> = .repeatable(service, "payment")
    /// ``BillingAPI/handleProviderNotification(_:)``.
    public static let providerNotification: RemoteOperation<ProviderNotificationInput, String> = .once(service, "provider-notification")
    /// ``BillingAPI/savedMethods(of:)``.
    public static let savedMethods: RemoteOperation<OwnerInput, [SavedPaymentMethod]> = .repeatable(service, "saved-methods")
    /// ``BillingAPI/deleteSavedMethod(id:of:)``.
    public static let deleteSavedMethod: RemoteOperation<OwnedObjectInput, NoContent> = .repeatable(service, "delete-saved-method")
    /// ``BillingAPI/autopay(of:)``.
    public static let autopay: RemoteOperation<OwnerInput, Autopay> = .repeatable(service, "autopay")
    /// ``BillingAPI/setAutopay(of:_:)``.
    public static let setAutopay: RemoteOperation<OwnerChangeInput<AutopaySettings>, Autopay> = .repeatable(service, "set-autopay")
    /// ``BillingAPI/paymentProviders()``.
    public static let paymentProviders: RemoteOperation<NoContent, [PaymentProviderInfo]> = .repeatable(service, "payment-providers")
    /// ``BillingAPI/promisedPaymentOffer(of:)``.
    public static let promisedPaymentOffer: RemoteOperation<OwnerInput, PromisedPaymentOffer> = .repeatable(service, "promised-payment-offer")
    /// ``BillingAPI/takePromisedPayment(of:amount:idempotency:)``.
    public static let takePromisedPayment: RemoteOperation<PromisedPaymentInput, PromisedPayment> = .repeatable(service, "take-promised-payment")
    /// ``BillingAPI/startBillingRun(period:dryRun:by:)``.
    public static let startBillingRun: RemoteOperation<StartRunInput, BillingRun> = .once(service, "start-billing-run")
    /// ``BillingAPI/billingRun(id:)``.
    public static let billingRun: RemoteOperation<IDInput, BillingRun> = .repeatable(service, "billing-run")
    /// ``BillingAPI/billingRuns(page:)``.
    public static let billingRuns: RemoteOperation<PageInput, Page<BillingRun>> = .repeatable(service, "billing-runs")
    /// ``BillingAPI/debtors(page:)``.
    public static let debtors: RemoteOperation<PageInput, Page<Debtor>> = .repeatable(service, "debtors")
}
