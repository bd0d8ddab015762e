import AsyncHTTPClient
import Foundation
import Kernel

/// T-Bank internet acquiring (API v2) behind ``PaymentProvider``: `Init` with the receipt, `CheckOrder` and
/// `GetState` to look up, `Cancel` to cancel and to refund, `Charge` for saved cards, `GetQr` for SBP; every request
/// signed with the terminal's `Token`.
///
/// T-Bank has no idempotency key: a payment is made once per our payment id because it is T-Bank's `OrderId` and
/// ``createPayment(_:)`` asks `CheckOrder` for the order before it sends `Init`; a refund once per its key because the
/// key is `Cancel`'s `ExternalRequestId`, which T-Bank deduplicates.
public struct TBankProvider: PaymentProvider {
    /// The settings.
    public let configuration: TBankConfiguration
    let http: ProviderHTTPClient

    /// Error codes after which the request may have been carried out (T-Bank's internal errors).
    static let uncertainCodes: Set<String> = ["3", "401", "9999"]
    /// Error codes saying the payment or order is not known.
    static let unknownCodes: Set<String> = ["255", "335", "7"]

    /// Talks to T-Bank through `client` (shared, owned by the caller).
    public init(configuration: TBankConfiguration, client: HTTPClient) {
        self.configuration = configuration
        self.http = ProviderHTTPClient(client: client, timeout: configuration.requestTimeout)
    }

    /// `tbank`.
    public var name: String { "tbank" }

    /// Cards on T-Bank's page, SBP, and saved cards.
    public var offer: ProviderOffer {
        ProviderOffer(name: name, title: ProviderTitle(ru: "Т-Банк", en: "T-Bank"), methods: [.card, .sbp], savesMethods: true)
    }

    /// Creates the payment once per `request.paymentID` (the order): a repeat answers the order's payment.
    public func createPayment(_ request: ProviderPaymentRequest) async throws(ProviderError) -> ProviderPayment {
        guard request.amount.currency == .rub else { throw .refused(code: "currency", message: "T-Bank takes roubles only") }
        guard request.amount.minorUnits > 0 else { throw .refused(code: "amount", message: "the amount must be positive") }
        if let problem = request.receipt?.problem(forAmount: request.amount) { throw .refused(code: "receipt", message: problem) }
        if let existing = try await order(request.paymentID) {
            if case .saved(let token) = request.source, existing.status == "NEW" {
                return try await charge(existing.paymentID.value, rebillID: token, paymentID: request.paymentID, amount: request.amount)
            }
            return try payment(status: existing.status, id: existing.paymentID.value, paymentID: request.paymentID, amount: existing.amount)
        }
        let answer = try await call("Init", initFields(request))
        if !answer.success, answer.errorCode == "20", let existing = try await order(request.paymentID) {
            return try payment(status: existing.status, id: existing.paymentID.value, paymentID: request.paymentID, amount: existing.amount)
        }
        try check(answer, "Init")
        guard let id = answer.paymentID?.value else { throw .outcomeUnknown("T-Bank Init answered no PaymentId") }
        switch request.source {
        case .saved(let token):
            return try await charge(id, rebillID: token, paymentID: request.paymentID, amount: request.amount)
        case .method(let method):
            var made = try payment(status: answer.status ?? "NEW", id: id, paymentID: request.paymentID, amount: answer.amount)
            if let url = answer.paymentURL { made.confirmation = .redirect(url: url) }
            if method == .sbp, let qr = try? await call("GetQr", [("PaymentId", .string(id)), ("DataType", .string("PAYLOAD"))]), qr.success,
                let payload = qr.data
            {
                made.confirmation = .qrCode(payload: payload)
            }
            return made
        }
    }

    /// `GetState` by T-Bank's id, or `CheckOrder` by ours when the creation's answer was lost.
    public func findPayment(_ reference: ProviderPaymentReference) async throws(ProviderError) -> ProviderPayment? {
        guard let state = try await state(of: reference) else { return nil }
        return try payment(status: state.status, id: state.id, paymentID: reference.paymentID, amount: state.amount)
    }

    /// Cancels a payment the customer has not paid (`Cancel` on `NEW`, or a reversal of a hold); a payment that
    /// succeeded meanwhile is answered as it is, never refunded here.
    public func cancelPayment(_ reference: ProviderPaymentReference, idempotencyKey: String) async throws(ProviderError) -> ProviderPayment {
        guard let state = try await state(of: reference) else {
            throw .refused(code: "not-found", message: "T-Bank has no payment for order \(reference.paymentID)")
        }
        let current = try payment(status: state.status, id: state.id, paymentID: reference.paymentID, amount: state.amount)
        guard current.status == .pending || current.status == .waitingForCapture else { return current }
        let answer = try await call("Cancel", [("PaymentId", .string(state.id)), ("ExternalRequestId", .string(idempotencyKey))])
        if !answer.success, ["4", "8"].contains(answer.errorCode), let now = try await findPayment(reference) { return now }
        try check(answer, "Cancel")
        return try payment(status: answer.status ?? state.status, id: state.id, paymentID: reference.paymentID, amount: state.amount)
    }

    /// `Cancel` with the amount, the refund's receipt, and its key as `ExternalRequestId`.
    public func createRefund(_ request: ProviderRefundRequest) async throws(ProviderError) -> ProviderRefund {
        guard request.amount.currency == .rub, request.amount.minorUnits > 0 else {
            throw .refused(code: "amount", message: "a refund is a positive amount in roubles")
        }
        if let problem = request.receipt?.problem(forAmount: request.amount) { throw .refused(code: "receipt", message: problem) }
        var id = request.payment.providerPaymentID
        if id == nil { id = try await state(of: request.payment)?.id }
        guard let id else { throw .refused(code: "not-found", message: "T-Bank has no payment for order \(request.payment.paymentID)") }
        return try await refund(paymentID: id, key: request.idempotencyKey, amount: request.amount, receipt: request.receipt)
    }

    /// A refund is found by sending its `Cancel` again with the same `ExternalRequestId`, which T-Bank answers with the
    /// operation's state instead of refunding twice; a payment with no refund at all has none to find.
    public func findRefund(_ reference: ProviderRefundReference) async throws(ProviderError) -> ProviderRefund? {
        guard let state = try await state(of: reference.payment), TBankStatus.hasRefunds(state.status) else { return nil }
        return try await refund(paymentID: state.id, key: reference.idempotencyKey, amount: reference.amount, receipt: nil)
    }

    /// Verifies the notification's `Token` (constant time) and its terminal; answers `OK`, as T-Bank requires.
    public func notification(_ notification: ProviderNotification) throws(ProviderError) -> ProviderNotice {
        guard let root = try? JSONDecoder().decode([String: TBankValue].self, from: Data(notification.body)) else {
            throw .invalidMessage("the T-Bank notification is not a JSON object")
        }
        guard let token = root["Token"]?.text else { throw .invalidMessage("the T-Bank notification has no Token") }
        var fields = root.compactMapValues(\.text)
        fields["Token"] = nil
        guard fields["TerminalKey"] == configuration.terminalKey else { throw .invalidMessage("the T-Bank notification is for another terminal") }
        guard TBankToken.verify(token, fields: fields, password: configuration.password) else {
            throw .invalidMessage("the T-Bank notification's Token does not match")
        }
        guard let paymentID = fields["PaymentId"], !paymentID.isEmpty else { throw .invalidMessage("the T-Bank notification has no PaymentId") }
        var saved: SavedMethodDetails?
        if let rebill = fields["RebillId"], !rebill.isEmpty, fields["Success"] == "true" {
            saved = SavedMethodDetails(token: rebill, title: Self.cardTitle(fields["Pan"]), expires: Self.expiry(fields["ExpDate"]))
        }
        return ProviderNotice(providerPaymentID: paymentID, paymentID: fields["OrderId"], acknowledgement: "OK", savedMethod: saved)
    }

    /// T-Bank's internet acquiring API has no listing of operations by date (reports come from the cabinet): a
    /// reconciliation checks each of our payments with ``findPayment(_:)`` instead.
    public func operations(in interval: DateInterval) async throws(ProviderError) -> [ProviderOperation] {
        throw .refused(code: "unsupported", message: "T-Bank's acquiring API lists no operations by date; look each payment up instead")
    }
}
