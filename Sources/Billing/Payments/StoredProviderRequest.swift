import Acquiring
import Contracts

/// What a provider payment is sent with, kept on its row (`provider_request`) so that a retry with the same
/// idempotency key, or the reconciliation after a crash, sends exactly the same request again.
struct StoredProviderRequest: Codable, Sendable {
    /// The text the provider shows.
    var description: String
    /// Where the provider sends the customer back.
    var returnURL: String?
    /// Card or SBP on the provider's page; `nil` with a saved method.
    var method: OnlineMethod?
    /// The provider's token of a saved method to charge.
    var savedToken: String?
    /// Whether to save the card.
    var saveMethod: Bool
    /// The fiscal receipt.
    var receipt: FiscalReceipt?

    /// A request whose text is its receipt's one line, or "Оплата счёта" for an invoice's several.
    init(receipt: FiscalReceipt, returnURL: String?, method: OnlineMethod?, savedToken: String?, saveMethod: Bool) {
        self.description = receipt.items.count == 1 ? receipt.items[0].description : "Оплата счёта"
        self.returnURL = returnURL
        self.method = method
        self.savedToken = savedToken
        self.saveMethod = saveMethod
        self.receipt = receipt
    }

    /// The request to the provider for `payment`, sent with `key`.
    func providerRequest(for payment: Payment, key: String) -> ProviderPaymentRequest {
        let source: ProviderPaymentSource =
            if let savedToken { .saved(token: savedToken) } else { .method(method == .sbp ? .sbp : .card) }
        return ProviderPaymentRequest(
            paymentID: payment.id, idempotencyKey: key, customerID: payment.customerId, amount: payment.amount, description: description,
            returnURL: returnURL, source: source, saveMethod: saveMethod, receipt: receipt)
    }
}

/// What a provider refund is sent with, kept on its row.
struct StoredRefundRequest: Codable, Sendable {
    /// The refund's fiscal receipt.
    var receipt: FiscalReceipt?
}
