import Contracts
import HTTPTypes
import Kernel

extension Problem {
    /// The HTTP answer to a billing refusal.
    public init(_ error: BillingError) {
        switch error {
        case .notFound:
            self = .notFound
        case .invalidField(let field, let reason):
            self = .invalidField(field, reason)
        case .insufficientFunds(let available):
            self.init(
                HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required"), code: "insufficient-funds", title: "Insufficient funds",
                detail: "Not enough money on the balance; available: \(available.formatted(locale: .en))")
        case .invoiceNotPayable(let status):
            self.init(.conflict, code: "invoice-not-payable", title: "Invoice cannot be paid", detail: "The invoice is \(status)")
        case .conflict(let reason):
            self.init(.conflict, code: "conflict", title: "Conflict", detail: reason)
        case .idempotencyKeyInProgress:
            self.init(
                .conflict, code: "idempotency-key-in-progress", title: "Request in progress",
                detail: "A request with this Idempotency-Key is still being processed; retry later", field: "Idempotency-Key",
                headers: [.retryAfter: "1"])
        case .idempotencyKeyReused:
            self.init(
                .unprocessableContent, code: "idempotency-key-reused", title: "Idempotency-Key reused",
                detail: "This Idempotency-Key was used with a different request", field: "Idempotency-Key")
        case .promisedPaymentRefused(let reason):
            self.init(
                .conflict, code: "promised-payment-refused", title: "Promised payment not available",
                detail: "A promised payment cannot be taken now (\(reason))")
        case .runInProgress(let runID):
            self.init(.conflict, code: "run-in-progress", title: "A billing run is in progress", detail: "Run \(runID) is still running")
        case .providerUnavailable(let provider):
            self.init(
                .badGateway, code: "provider-unavailable", title: "Payment provider unavailable",
                detail: "The payment provider \(provider) cannot take the payment now")
        case .invalidSignature:
            self.init(.badRequest, code: "invalid-signature", title: "Invalid signature", detail: "The notification's signature does not verify")
        }
    }
}
