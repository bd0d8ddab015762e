import HTTPTypes
import Kernel

extension BillingError: ProblemConvertible {
    /// The HTTP answer to a billing refusal.
    public var problem: Problem? {
        switch self {
        case .notFound:
            .notFound
        case .invalidField(let field, let reason):
            .invalidField(field, reason)
        case .insufficientFunds(let available):
            Problem(
                HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required"), code: "insufficient-funds", title: "Insufficient funds",
                detail: "Not enough money on the balance; available: \(available.formatted(locale: .en))")
        case .invoiceNotPayable(let status):
            Problem(.conflict, code: "invoice-not-payable", title: "Invoice cannot be paid", detail: "The invoice is \(status)")
        case .conflict(let reason):
            Problem(.conflict, code: "conflict", title: "Conflict", detail: reason)
        case .idempotencyKeyInProgress:
            Problem(
                .conflict, code: "idempotency-key-in-progress", title: "Request in progress",
                detail: "A request with this Idempotency-Key is still being processed; retry later", field: "Idempotency-Key",
                headers: [.retryAfter: "1"])
        case .idempotencyKeyReused:
            Problem(
                .unprocessableContent, code: "idempotency-key-reused", title: "Idempotency-Key reused",
                detail: "This Idempotency-Key was used with a different request", field: "Idempotency-Key")
        case .promisedPaymentRefused(let reason):
            Problem(
                .conflict, code: "promised-payment-refused", title: "Promised payment not available",
                detail: "A promised payment cannot be taken now (\(reason))")
        case .runInProgress(let runID):
            Problem(.conflict, code: "run-in-progress", title: "A billing run is in progress", detail: "Run \(runID) is still running")
        case .providerUnavailable(let provider):
            Problem(
                .serviceUnavailable, code: "provider-unavailable", title: "Payment provider unavailable",
                detail: "The payment provider \(provider) did not answer; send the same request again with the same Idempotency-Key",
                headers: [.retryAfter: "5"])
        case .invalidSignature:
            Problem(.badRequest, code: "invalid-signature", title: "Invalid signature", detail: "The notification's signature does not verify")
        }
    }
}
