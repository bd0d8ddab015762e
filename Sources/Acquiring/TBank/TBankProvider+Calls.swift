import Crypto
import Foundation
import Kernel
import NIOHTTP1

extension TBankProvider {
    /// A payment's id, status and amount at T-Bank.
    struct State {
        var id: String
        var status: String
        var amount: Int64?
    }

    /// Sends a signed request to `method`; throws only when T-Bank's answer cannot be had or read.
    func call(_ method: String, _ fields: [(String, TBankJSON)]) async throws(ProviderError) -> TBankAnswer {
        var body: [(String, TBankJSON)] = [("TerminalKey", .string(configuration.terminalKey))] + fields
        var signed: [String: String] = [:]
        for (key, value) in body { if let text = value.signedText { signed[key] = text } }
        body.append(("Token", .string(TBankToken.make(signed, password: configuration.password))))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        guard let data = try? encoder.encode(TBankJSON.object(body)) else {
            throw .refused(code: "encoding", message: "the request cannot be written")
        }
        let response = try await http.send(
            .POST, configuration.baseURL + "/" + method, headers: [("Content-Type", "application/json")], body: Array(data))
        if response.status >= 500 { throw .outcomeUnknown("T-Bank \(method) answered \(response.status)") }
        guard let answer = try? JSONDecoder().decode(TBankAnswer.self, from: Data(response.body)) else {
            if response.status >= 400 { throw .refused(code: "http-\(response.status)", message: "T-Bank \(method) refused the request") }
            throw .outcomeUnknown("T-Bank \(method) answered \(response.status) with a body that is not its JSON")
        }
        if response.status >= 400 && answer.success { throw .refused(code: "http-\(response.status)", message: answer.reason) }
        return answer
    }

    /// Throws what a failed answer means: T-Bank's internal errors leave the outcome unknown, the rest are refusals.
    func check(_ answer: TBankAnswer, _ method: String) throws(ProviderError) {
        guard !answer.success || answer.errorCode != "0" else { return }
        if Self.uncertainCodes.contains(answer.errorCode) { throw .outcomeUnknown("T-Bank \(method): \(answer.errorCode) \(answer.reason)") }
        throw .refused(code: answer.errorCode, message: answer.reason)
    }

    /// The order's payment (`CheckOrder`): the live one, else the latest; `nil` when T-Bank has none.
    func order(_ orderID: String) async throws(ProviderError) -> TBankOrderPayment? {
        let answer = try await call("CheckOrder", [("OrderId", .string(orderID))])
        if !answer.success && Self.unknownCodes.contains(answer.errorCode) { return nil }
        try check(answer, "CheckOrder")
        let payments = answer.payments ?? []
        return payments.last(where: { TBankStatus.payment($0.status) != .canceled }) ?? payments.last
    }

    /// The payment's state, by T-Bank's id when known, else by our order id.
    func state(of reference: ProviderPaymentReference) async throws(ProviderError) -> State? {
        guard let id = reference.providerPaymentID else {
            return try await order(reference.paymentID).map { State(id: $0.paymentID.value, status: $0.status, amount: $0.amount) }
        }
        let answer = try await call("GetState", [("PaymentId", .string(id))])
        if !answer.success && Self.unknownCodes.contains(answer.errorCode) { return nil }
        try check(answer, "GetState")
        guard let status = answer.status else { throw .outcomeUnknown("T-Bank GetState answered no Status") }
        return State(id: id, status: status, amount: answer.amount)
    }

    /// `Charge` of a saved card (`RebillId`) for the payment `id` made by `Init`; a decline is a cancelled payment.
    func charge(_ id: String, rebillID: String, paymentID: String, amount: Money) async throws(ProviderError) -> ProviderPayment {
        let answer = try await call("Charge", [("PaymentId", .string(id)), ("RebillId", .string(rebillID))])
        if answer.status == "REJECTED" || answer.status == "AUTH_FAIL" {
            var declined = try payment(status: "REJECTED", id: id, paymentID: paymentID, amount: answer.amount ?? amount.minorUnits)
            declined.failureReason = "\(answer.errorCode): \(answer.reason)"
            return declined
        }
        try check(answer, "Charge")
        return try payment(status: answer.status ?? "NEW", id: id, paymentID: paymentID, amount: answer.amount ?? amount.minorUnits)
    }

    /// `Cancel` of `amount` of a paid payment, deduplicated by `key`.
    func refund(paymentID: String, key: String, amount: Money, receipt: FiscalReceipt?) async throws(ProviderError) -> ProviderRefund {
        var fields: [(String, TBankJSON)] = [
            ("PaymentId", .string(paymentID)), ("Amount", .integer(amount.minorUnits)), ("ExternalRequestId", .string(key)),
        ]
        if let receipt { fields.append(("Receipt", receipt.tbankJSON(taxSystem: configuration.taxSystem, ffdVersion: configuration.ffdVersion))) }
        let answer = try await call("Cancel", fields)
        try check(answer, "Cancel")
        return ProviderRefund(providerRefundID: key, status: TBankStatus.refund(answer.status ?? ""), amount: amount)
    }

    /// T-Bank's `CustomerKey` for our customer id: the id itself when it fits T-Bank's 36 characters, else a stable
    /// digest of it (the first 32 hex digits of its SHA-256).
    static func customerKey(_ customerID: String) -> String {
        guard customerID.count > 36 else { return customerID }
        return Hex.lowercase(SHA256.hash(data: Array(customerID.utf8)).prefix(16))
    }

    /// `Init`'s fields for `request`.
    func initFields(_ request: ProviderPaymentRequest) -> [(String, TBankJSON)] {
        var fields: [(String, TBankJSON)] = [
            ("Amount", .integer(request.amount.minorUnits)), ("OrderId", .string(request.paymentID)),
            ("Description", .string(request.description)), ("PayType", .string("O")),
        ]
        let initiator: String
        switch request.source {
        case .saved:
            fields.append(("CustomerKey", .string(Self.customerKey(request.customerID))))
            initiator = "R"
        case .method:
            if request.saveMethod {
                fields.append(("CustomerKey", .string(Self.customerKey(request.customerID))))
                fields.append(("Recurrent", .string("Y")))
            }
            initiator = request.saveMethod ? "1" : "0"
        }
        if let url = request.returnURL {
            fields.append(("SuccessURL", .string(url)))
            fields.append(("FailURL", .string(configuration.failURL ?? url)))
        }
        if let url = configuration.notificationURL { fields.append(("NotificationURL", .string(url))) }
        if let receipt = request.receipt {
            fields.append(("Receipt", receipt.tbankJSON(taxSystem: configuration.taxSystem, ffdVersion: configuration.ffdVersion)))
        }
        fields.append(("DATA", .object([("OperationInitiatorType", .string(initiator))])))
        return fields
    }

    /// A payment report from T-Bank's status.
    func payment(status: String, id: String, paymentID: String, amount: Int64?) throws(ProviderError) -> ProviderPayment {
        guard let standing = TBankStatus.payment(status) else { throw .outcomeUnknown("T-Bank reported the unknown status \(status)") }
        guard let amount else { throw .outcomeUnknown("T-Bank reported no Amount for payment \(id)") }
        let reason = standing == .canceled ? status : nil
        return ProviderPayment(
            providerPaymentID: id, paymentID: paymentID, status: standing, amount: .rub(amount), confirmation: nil, savedMethod: nil,
            failureReason: reason)
    }

    /// `Карта •••• 0777` from a masked PAN.
    static func cardTitle(_ pan: String?) -> String {
        guard let pan, pan.count >= 4 else { return "Карта" }
        return "Карта •••• \(pan.suffix(4))"
    }

    /// `2030-12` from T-Bank's `MMYY`.
    static func expiry(_ text: String?) -> String? {
        guard let text, text.count == 4, text.allSatisfy(\.isNumber) else { return nil }
        return "20\(text.suffix(2))-\(text.prefix(2))"
    }
}
