import AsyncHTTPClient
import Foundation
import Kernel
import NIOHTTP1

/// YooKassa (API v3) behind ``PaymentProvider``: one-stage payments (`capture: true`) confirmed on YooKassa's page
/// (cards) or by an SBP QR code, saved payment methods charged without the customer, refunds, fiscal receipts, and
/// the lists for reconciliation. Our payment's id travels in the payment's `metadata` (`payment_id`) so a payment
/// whose creation answer was lost is found in the list. YooKassa does not sign notifications: ``notification(_:)``
/// only names the payment or refund, whose state billing then asks the API for.
public struct YooKassaProvider: PaymentProvider {
    /// The settings.
    public let configuration: YooKassaConfiguration
    let http: ProviderHTTPClient

    /// The metadata key that holds our payment's id.
    static let paymentIDKey = "payment_id"
    /// The metadata key that holds our refund's id.
    static let refundIDKey = "refund_id"
    /// The most items a list page holds.
    static let pageSize = 100

    /// Creates the adapter; `client` is shared and owned by the caller.
    public init(configuration: YooKassaConfiguration, client: HTTPClient) {
        self.configuration = configuration
        self.http = ProviderHTTPClient(client: client, timeout: configuration.requestTimeout)
    }

    /// `yookassa`.
    public var name: String { "yookassa" }

    /// Cards and SBP; cards can be saved.
    public var offer: ProviderOffer {
        ProviderOffer(name: name, title: ProviderTitle(ru: "ЮKassa", en: "YooKassa"), methods: [.card, .sbp], savesMethods: true)
    }

    /// Creates a payment (`POST /payments`) under the request's idempotency key.
    public func createPayment(_ request: ProviderPaymentRequest) async throws(ProviderError) -> ProviderPayment {
        var body = YooKassaWire.PaymentRequest(
            amount: YooKassaAmount(request.amount), capture: true, description: String(request.description.prefix(128)),
            metadata: [Self.paymentIDKey: request.paymentID, "customer_id": request.customerID],
            receipt: request.receipt.map { YooKassaWire.Receipt($0, taxSystem: configuration.taxSystem) })
        switch request.source {
        case .method(.card):
            guard let returnURL = request.returnURL ?? configuration.defaultReturnURL else {
                throw .refused(code: "return_url", message: "a card payment needs a return URL")
            }
            body.paymentMethodData = YooKassaWire.MethodData(type: "bank_card")
            body.confirmation = YooKassaWire.ConfirmationRequest(type: "redirect", returnURL: returnURL)
            if request.saveMethod { body.savePaymentMethod = true }
        case .method(.sbp):
            body.paymentMethodData = YooKassaWire.MethodData(type: "sbp")
            body.confirmation = YooKassaWire.ConfirmationRequest(type: "qr", returnURL: nil)
            if request.saveMethod { body.savePaymentMethod = true }
        case .saved(let token):
            body.paymentMethodID = token
        }
        let response = try await send(.POST, "/payments", idempotencyKey: request.idempotencyKey, body: try encode(body))
        return try payment(from: try decode(YooKassaWire.Payment.self, response))
    }

    /// `GET /payments/{id}`, or, with no provider id, our id looked for in the list of the payments created from our
    /// creation time to the lookup window after it.
    public func findPayment(_ reference: ProviderPaymentReference) async throws(ProviderError) -> ProviderPayment? {
        if let id = reference.providerPaymentID {
            guard let response = try await lookup("/payments/\(try pathComponent(id))") else { return nil }
            return try payment(from: try decode(YooKassaWire.Payment.self, response))
        }
        let skew: TimeInterval = 300
        let end = min(reference.createdAt.addingTimeInterval(Self.seconds(configuration.lookupWindow)), Date().addingTimeInterval(skew))
        let interval = DateInterval(start: reference.createdAt.addingTimeInterval(-skew), end: max(end, reference.createdAt))
        var found: YooKassaWire.Payment?
        try await list("/payments", interval: interval, extra: [], as: YooKassaWire.Payment.self) { page in
            found = page.first { $0.metadata?[Self.paymentIDKey] == reference.paymentID }
            return found == nil
        }
        return try found.map(payment(from:))
    }

    /// `POST /payments/{id}/cancel`. YooKassa cancels only a payment waiting for capture; a pending one is refused
    /// (it expires by itself), and a payment it does not have is refused as `not_found`.
    public func cancelPayment(_ reference: ProviderPaymentReference, idempotencyKey: String) async throws(ProviderError) -> ProviderPayment {
        let id = try await providerPaymentID(reference)
        let response = try await send(.POST, "/payments/\(try pathComponent(id))/cancel", idempotencyKey: idempotencyKey, body: Array("{}".utf8))
        return try payment(from: try decode(YooKassaWire.Payment.self, response))
    }

    /// `POST /refunds` with the refund's receipt; our refund's id travels in its `metadata`.
    public func createRefund(_ request: ProviderRefundRequest) async throws(ProviderError) -> ProviderRefund {
        let paymentID = try await providerPaymentID(request.payment)
        let body = YooKassaWire.RefundRequest(
            paymentID: paymentID, amount: YooKassaAmount(request.amount), description: "Возврат",
            metadata: [Self.refundIDKey: request.refundID, Self.paymentIDKey: request.payment.paymentID],
            receipt: request.receipt.map { YooKassaWire.Receipt($0, taxSystem: configuration.taxSystem) })
        let response = try await send(.POST, "/refunds", idempotencyKey: request.idempotencyKey, body: try encode(body))
        return try refund(from: try decode(YooKassaWire.Refund.self, response))
    }

    /// `GET /refunds/{id}`, or, with no provider id, our id looked for among the payment's refunds.
    public func findRefund(_ reference: ProviderRefundReference) async throws(ProviderError) -> ProviderRefund? {
        if let id = reference.providerRefundID {
            guard let response = try await lookup("/refunds/\(try pathComponent(id))") else { return nil }
            return try refund(from: try decode(YooKassaWire.Refund.self, response))
        }
        guard let payment = try await findPayment(reference.payment) else { return nil }
        var found: YooKassaWire.Refund?
        try await list("/refunds", interval: nil, extra: [("payment_id", payment.providerPaymentID)], as: YooKassaWire.Refund.self) { page in
            found = page.first { $0.metadata?[Self.refundIDKey] == reference.refundID }
            return found == nil
        }
        return try found.map(refund(from:))
    }

    /// Names the payment (`payment.succeeded`, `payment.waiting_for_capture`, `payment.canceled`) or the refund
    /// (`refund.succeeded`) a notification is about. Notifications are not signed: nothing in them is trusted.
    public func notification(_ notification: ProviderNotification) throws(ProviderError) -> ProviderNotice {
        let parsed: YooKassaWire.Notification
        do {
            parsed = try JSONDecoder().decode(YooKassaWire.Notification.self, from: Data(notification.body))
        } catch {
            throw .invalidMessage("a YooKassa notification is a JSON object with type, event and object.id")
        }
        guard parsed.type == "notification", !parsed.object.id.isEmpty else { throw .invalidMessage("not a YooKassa notification") }
        switch parsed.event {
        case "payment.succeeded", "payment.waiting_for_capture", "payment.canceled":
            return ProviderNotice(providerPaymentID: parsed.object.id, paymentID: parsed.object.metadata?[Self.paymentIDKey])
        case "refund.succeeded":
            guard let paymentID = parsed.object.paymentID else { throw .invalidMessage("a refund notification without payment_id") }
            return ProviderNotice(
                providerPaymentID: paymentID, paymentID: parsed.object.metadata?[Self.paymentIDKey], providerRefundID: parsed.object.id)
        default:
            throw .invalidMessage("an event this adapter does not handle: \(parsed.event.prefix(64))")
        }
    }

    /// The payments and refunds created in `interval`, read page by page from `GET /payments` and `GET /refunds`.
    public func operations(in interval: DateInterval) async throws(ProviderError) -> [ProviderOperation] {
        var operations: [ProviderOperation] = []
        try await list("/payments", interval: interval, extra: [], as: YooKassaWire.Payment.self) { page throws(ProviderError) in
            for item in page { operations.append(try operation(from: item)) }
            return true
        }
        try await list("/refunds", interval: interval, extra: [], as: YooKassaWire.Refund.self) { page throws(ProviderError) in
            for item in page { operations.append(try operation(from: item)) }
            return true
        }
        return operations
    }
}
