import Contracts
import Kernel

/// `POST /api/v1/billing/pay`.
struct PayBody: Codable, Sendable {
    var invoiceId: String?
    var amount: Money?
    var method: PaymentMethod
    var provider: String?
    var returnUrl: String?
    var onlineMethod: OnlineMethod?
    var savedMethodId: String?
    var saveMethod: Bool?
    var receiptEmail: String?
    var receiptPhone: String?

    var order: PaymentOrder {
        PaymentOrder(
            invoiceId: invoiceId, amount: amount, method: method, provider: provider, returnURL: returnUrl, onlineMethod: onlineMethod,
            savedMethodId: savedMethodId, saveMethod: saveMethod, receiptEmail: receiptEmail, receiptPhone: receiptPhone)
    }
}

/// `POST /api/v1/billing/top-up`.
struct TopUpBody: Codable, Sendable {
    var amount: Money
    var provider: String?
    var returnUrl: String?
    var onlineMethod: OnlineMethod?
    var savedMethodId: String?
    var saveMethod: Bool?
    var receiptEmail: String?
    var receiptPhone: String?

    var order: PaymentOrder {
        PaymentOrder(
            invoiceId: nil, amount: amount, method: .provider, provider: provider, returnURL: returnUrl, onlineMethod: onlineMethod,
            savedMethodId: savedMethodId, saveMethod: saveMethod, receiptEmail: receiptEmail, receiptPhone: receiptPhone)
    }
}

/// `POST /api/v1/billing/promised-payment`.
struct PromisedPaymentBody: Codable, Sendable {
    var amount: Money
}

/// `POST /api/v1/admin/payments`.
struct ManualPaymentBody: Codable, Sendable {
    var customerId: String
    var amount: Money
    var method: PaymentMethod
    var reference: String?
}

/// `POST /api/v1/admin/payments/{id}/refunds`.
struct RefundBody: Codable, Sendable {
    var amount: Money
    var reason: String
}

/// `POST /api/v1/admin/billing/runs`.
struct BillingRunBody: Codable, Sendable {
    var period: BillingPeriod
    var dryRun: Bool?
}

/// `POST /api/v1/admin/tariffs/{id}/prices`.
struct TariffPriceBody: Codable, Sendable {
    var monthlyPrice: Money
    var effectiveFrom: LocalDate
}

/// `POST /api/v1/admin/subscriptions/{id}/terminate`.
struct TerminateBody: Codable, Sendable {
    var endsOn: LocalDate
}
