import Foundation

/// The stand-in's shop in memory: payments, refunds, saved methods and the answers stored under idempotence keys.
/// Every change happens inside the actor without suspending, so a key checked is a key stored.
actor YooKassaStandinLedger {
    /// An answer to send: status, JSON body, and the notifications the change causes.
    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]
        var notifications: [[UInt8]] = []
    }

    private struct StoredPayment {
        var object: YooKassaObjects.Payment
        var sequence: Int
        var created: Date
        var capture: Bool
        var save: Bool
        var kopecks: Int64
        var refunded: Int64 = 0
    }

    private struct StoredRefund {
        var object: YooKassaObjects.Refund
        var sequence: Int
        var created: Date
    }

    private struct SavedMethod {
        var method: YooKassaObjects.PaymentMethod
        var declining = false
    }

    private struct Remembered {
        var route: String
        var request: Data
        var answer: Answer
    }

    let account: String
    let publicBaseURL: String
    private var payments: [String: StoredPayment] = [:]
    private var refunds: [String: StoredRefund] = [:]
    private var saved: [String: SavedMethod] = [:]
    private var remembered: [String: Remembered] = [:]
    private var sequence = 0
    private(set) var inbox: [[UInt8]] = []

    init(account: String, publicBaseURL: String) {
        self.account = account
        self.publicBaseURL = publicBaseURL
    }

    // MARK: Idempotence

    /// Answers the stored answer for `key` when the same request came with it before, refuses a different request
    /// under a used key, and otherwise runs `work` and stores its answer when it succeeded.
    private func once(route: String, key: String, request: [UInt8], _ work: () -> Answer) -> Answer {
        let canonical = Self.canonical(request)
        if let earlier = remembered[key] {
            guard earlier.route == route, earlier.request == canonical else {
                return Self.failure(
                    YooKassaChecks.Refusal(
                        description: "Idempotence key duplicated: it was used with another request; use a new key", parameter: "Idempotence-Key"))
            }
            return Answer(status: earlier.answer.status, body: earlier.answer.body)
        }
        let answer = work()
        if answer.status == 200 { remembered[key] = Remembered(route: route, request: canonical, answer: answer) }
        return answer
    }

    private static func canonical(_ body: [UInt8]) -> Data {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
        else { return Data(body) }
        return data
    }

    // MARK: Payments

    func createPayment(key: String, body: [UInt8]) -> Answer {
        once(route: "payments", key: key, request: body) {
            do {
                return try newPayment(Self.decode(YooKassaObjects.PaymentRequest.self, body))
            } catch {
                return Self.failure(error)
            }
        }
    }

    private func newPayment(_ request: YooKassaObjects.PaymentRequest) throws(YooKassaChecks.Refusal) -> Answer {
        let kopecks = try YooKassaChecks.amount(request.amount, parameter: "amount")
        if let description = request.description, description.count > 128 {
            throw .init(description: "At most 128 characters", parameter: "description")
        }
        try YooKassaChecks.metadata(request.metadata)
        if let receipt = request.receipt { try YooKassaChecks.receipt(receipt, total: kopecks) }
        let now = Date()
        sequence += 1
        var payment = YooKassaObjects.Payment(
            id: Self.newID(), status: "pending", paid: false, amount: YooKassaObjects.Amount(value: YooKassaChecks.value(kopecks), currency: "RUB"),
            description: request.description, recipient: YooKassaObjects.Recipient(accountId: account, gatewayId: "100500"),
            createdAt: YooKassaChecks.timestamp(now), test: true, refundedAmount: YooKassaObjects.Amount(value: "0.00", currency: "RUB"),
            refundable: false, receiptRegistration: request.receipt == nil ? nil : "pending", metadata: request.metadata ?? [:],
            merchantCustomerId: request.merchantCustomerId)
        let capture = request.capture ?? false
        var events: [[UInt8]] = []
        if let token = request.paymentMethodId {
            guard request.paymentMethodData == nil, request.confirmation == nil else {
                throw .init(description: "A saved method is charged without payment_method_data or confirmation", parameter: "payment_method_id")
            }
            guard let method = saved[token] else {
                throw .init(description: "No saved payment method \(token.prefix(64))", parameter: "payment_method_id")
            }
            payment.paymentMethod = method.method
            if method.declining {
                payment.status = "canceled"
                payment.cancellationDetails = YooKassaObjects.CancellationDetails(party: "payment_network", reason: "general_decline")
            } else {
                Self.authorise(&payment, capture: capture, at: now)
            }
            events.append(Self.notification(payment))
        } else {
            guard let confirmation = request.confirmation else {
                throw .init(description: "A payment the customer confirms needs confirmation", parameter: "confirmation")
            }
            let methodType = request.paymentMethodData?.type
            if let methodType, !["bank_card", "sbp"].contains(methodType) {
                throw .init(description: "The stand-in's shop accepts bank_card and sbp", parameter: "payment_method_data.type")
            }
            let page = "\(publicBaseURL)/yookassa/checkout/\(payment.id)"
            switch confirmation.type {
            case "redirect":
                guard let returnURL = confirmation.returnUrl, !returnURL.isEmpty else {
                    throw .init(description: "A redirect confirmation needs return_url", parameter: "confirmation.return_url")
                }
                payment.confirmation = YooKassaObjects.Confirmation(type: "redirect", returnUrl: returnURL, confirmationUrl: page)
            case "qr":
                guard methodType == "sbp" else { throw .init(description: "A QR confirmation is for SBP", parameter: "confirmation.type") }
                payment.confirmation = YooKassaObjects.Confirmation(type: "qr", confirmationData: page)
            default:
                throw .init(description: "The stand-in confirms by redirect or qr", parameter: "confirmation.type")
            }
            if let methodType { payment.paymentMethod = YooKassaObjects.PaymentMethod(type: methodType, id: Self.newID(), saved: false) }
        }
        payments[payment.id] = StoredPayment(
            object: payment, sequence: sequence, created: now, capture: capture, save: request.savePaymentMethod ?? false, kopecks: kopecks)
        return Answer(status: 200, body: Self.encode(payment), notifications: events)
    }

    func payment(_ id: String) -> Answer {
        guard let stored = payments[id] else { return Self.notFound("payment_id") }
        return Answer(status: 200, body: Self.encode(stored.object))
    }

    func cancelPayment(_ id: String, key: String, body: [UInt8]) -> Answer {
        once(route: "cancel \(id)", key: key, request: body) {
            guard var stored = payments[id] else { return Self.notFound("payment_id") }
            switch stored.object.status {
            case "canceled":
                return Answer(status: 200, body: Self.encode(stored.object))
            case "waiting_for_capture":
                stored.object.status = "canceled"
                stored.object.paid = false
                stored.object.cancellationDetails = YooKassaObjects.CancellationDetails(party: "merchant", reason: "canceled_by_merchant")
                payments[id] = stored
                return Answer(status: 200, body: Self.encode(stored.object), notifications: [Self.notification(stored.object)])
            default:
                return Self.failure(
                    YooKassaChecks.Refusal(
                        description: "Payment in status \(stored.object.status) can't be canceled; only waiting_for_capture can",
                        parameter: "payment_id"))
            }
        }
    }

    func capturePayment(_ id: String, key: String, body: [UInt8]) -> Answer {
        once(route: "capture \(id)", key: key, request: body) {
            guard var stored = payments[id] else { return Self.notFound("payment_id") }
            switch stored.object.status {
            case "succeeded":
                return Answer(status: 200, body: Self.encode(stored.object))
            case "waiting_for_capture":
                if !body.isEmpty, let amount = (try? Self.decode(YooKassaObjects.CaptureRequest.self, body))?.amount {
                    guard let kopecks = YooKassaChecks.kopecks(amount.value), kopecks > 0, kopecks <= stored.kopecks else {
                        return Self.failure(YooKassaChecks.Refusal(description: "At most the authorised amount", parameter: "amount.value"))
                    }
                    stored.kopecks = kopecks
                    stored.object.amount = YooKassaObjects.Amount(value: YooKassaChecks.value(kopecks), currency: "RUB")
                }
                Self.authorise(&stored.object, capture: true, at: Date())
                payments[id] = stored
                return Answer(status: 200, body: Self.encode(stored.object), notifications: [Self.notification(stored.object)])
            default:
                return Self.failure(
                    YooKassaChecks.Refusal(description: "Payment in status \(stored.object.status) can't be captured", parameter: "payment_id"))
            }
        }
    }

    /// The customer's answer on the payment page; `nil` for a payment that does not exist.
    func confirm(_ id: String, pay: Bool) -> (payment: YooKassaObjects.Payment, notifications: [[UInt8]])? {
        guard var stored = payments[id] else { return nil }
        guard stored.object.status == "pending" else { return (stored.object, []) }
        let now = Date()
        if pay {
            let type = stored.object.paymentMethod?.type ?? "bank_card"
            var method = YooKassaObjects.PaymentMethod(type: type, id: stored.object.paymentMethod?.id ?? Self.newID(), saved: stored.save)
            if type == "bank_card" {
                let year = Calendar(identifier: .gregorian).component(.year, from: now) + 3
                method.card = YooKassaObjects.Card(
                    first6: "555555", last4: "4444", expiryMonth: "12", expiryYear: String(year), cardType: "MasterCard", issuerCountry: "RU")
                method.title = "Bank card *4444"
            } else {
                method.title = "СБП"
            }
            stored.object.paymentMethod = method
            if stored.save { saved[method.id] = SavedMethod(method: method) }
            Self.authorise(&stored.object, capture: stored.capture, at: now)
        } else {
            stored.object.status = "canceled"
            stored.object.cancellationDetails = YooKassaObjects.CancellationDetails(party: "payment_network", reason: "general_decline")
        }
        payments[id] = stored
        return (stored.object, [Self.notification(stored.object)])
    }

    /// Cancels a pending payment as YooKassa does when the customer never confirms it (`expired_on_confirmation`);
    /// `nil` for a payment that does not exist, no notification for one that was not pending.
    func expire(_ id: String) -> (payment: YooKassaObjects.Payment, notifications: [[UInt8]])? {
        guard var stored = payments[id] else { return nil }
        guard stored.object.status == "pending" else { return (stored.object, []) }
        stored.object.status = "canceled"
        stored.object.cancellationDetails = YooKassaObjects.CancellationDetails(party: "yoo_money", reason: "expired_on_confirmation")
        payments[id] = stored
        return (stored.object, [Self.notification(stored.object)])
    }

    /// Makes a saved method's next charges declined (or accepted again); `false` when no such method is saved.
    func setDeclining(_ token: String, _ declining: Bool) -> Bool {
        guard saved[token] != nil else { return false }
        saved[token]?.declining = declining
        return true
    }

    private static func authorise(_ payment: inout YooKassaObjects.Payment, capture: Bool, at date: Date) {
        payment.paid = true
        if capture {
            payment.status = "succeeded"
            payment.capturedAt = YooKassaChecks.timestamp(date)
            payment.refundable = true
            payment.expiresAt = nil
        } else {
            payment.status = "waiting_for_capture"
            payment.expiresAt = YooKassaChecks.timestamp(date.addingTimeInterval(7 * 24 * 3600))
        }
    }

    // MARK: Refunds

    func createRefund(key: String, body: [UInt8]) -> Answer {
        once(route: "refunds", key: key, request: body) {
            do {
                return try newRefund(Self.decode(YooKassaObjects.RefundRequest.self, body))
            } catch {
                return Self.failure(error)
            }
        }
    }

    private func newRefund(_ request: YooKassaObjects.RefundRequest) throws(YooKassaChecks.Refusal) -> Answer {
        guard var payment = payments[request.paymentId] else {
            throw .init(status: 404, code: "not_found", description: "No payment \(request.paymentId.prefix(64))", parameter: "payment_id")
        }
        let kopecks = try YooKassaChecks.amount(request.amount, parameter: "amount")
        try YooKassaChecks.metadata(request.metadata)
        guard payment.object.status == "succeeded" else {
            throw .init(description: "Payment in status \(payment.object.status) can't be refunded", parameter: "payment_id")
        }
        guard kopecks <= payment.kopecks - payment.refunded else {
            throw .init(
                description: "The refund is more than what is left: \(YooKassaChecks.value(payment.kopecks - payment.refunded))",
                parameter: "amount.value")
        }
        if let receipt = request.receipt { try YooKassaChecks.receipt(receipt, total: kopecks) }
        let now = Date()
        sequence += 1
        let refund = YooKassaObjects.Refund(
            id: Self.newID(), paymentId: payment.object.id, status: "succeeded", createdAt: YooKassaChecks.timestamp(now),
            amount: YooKassaObjects.Amount(value: YooKassaChecks.value(kopecks), currency: "RUB"), description: request.description,
            receiptRegistration: request.receipt == nil ? nil : "pending", metadata: request.metadata)
        refunds[refund.id] = StoredRefund(object: refund, sequence: sequence, created: now)
        payment.refunded += kopecks
        payment.object.refundedAmount = YooKassaObjects.Amount(value: YooKassaChecks.value(payment.refunded), currency: "RUB")
        payment.object.refundable = payment.refunded < payment.kopecks
        payments[payment.object.id] = payment
        return Answer(
            status: 200, body: Self.encode(refund),
            notifications: [Self.encode(YooKassaObjects.Notification(event: "refund.succeeded", object: refund))])
    }

    func refund(_ id: String) -> Answer {
        guard let stored = refunds[id] else { return Self.notFound("refund_id") }
        return Answer(status: 200, body: Self.encode(stored.object))
    }

    // MARK: Lists

    /// One page of payments, newest first, filtered as `GET /payments` filters.
    func listPayments(_ filter: YooKassaListFilter) -> Answer {
        let matching = payments.values.filter { filter.admits(created: $0.created, sequence: $0.sequence, status: $0.object.status, paymentID: nil) }
        return page(matching.map { ($0.sequence, $0.object) }, filter)
    }

    /// One page of refunds, newest first, filtered as `GET /refunds` filters.
    func listRefunds(_ filter: YooKassaListFilter) -> Answer {
        let matching = refunds.values.filter {
            filter.admits(created: $0.created, sequence: $0.sequence, status: $0.object.status, paymentID: $0.object.paymentId)
        }
        return page(matching.map { ($0.sequence, $0.object) }, filter)
    }

    private func page<Item: Codable & Sendable>(_ items: [(Int, Item)], _ filter: YooKassaListFilter) -> Answer {
        let sorted = items.sorted { $0.0 > $1.0 }
        let shown = sorted.prefix(filter.limit)
        let next = sorted.count > filter.limit ? shown.last.map { YooKassaListFilter.cursor(after: $0.0) } : nil
        return Answer(status: 200, body: Self.encode(YooKassaObjects.List(items: shown.map { $0.1 }, nextCursor: next)))
    }

    // MARK: Notifications received

    /// Keeps a notification posted to the stand-in's own inbox.
    func receive(_ body: [UInt8]) {
        inbox.append(body)
    }

    // MARK: Encoding

    static func newID() -> String { UUID().uuidString.lowercased() }

    static func notification(_ payment: YooKassaObjects.Payment) -> [UInt8] {
        encode(YooKassaObjects.Notification(event: "payment.\(payment.status)", object: payment))
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws(YooKassaChecks.Refusal) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw YooKassaChecks.Refusal(
                description: "The request body is not what the API expects (\(Self.reason(error)))", parameter: YooKassaChecks.parameter(of: error))
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound: "a required parameter is missing"
        case .typeMismatch, .valueNotFound: "a parameter has the wrong type"
        default: "malformed JSON"
        }
    }

    static func failure(_ error: any Error) -> Answer {
        let refusal =
            error as? YooKassaChecks.Refusal ?? YooKassaChecks.Refusal(status: 500, code: "internal_server_error", description: "\(error)")
        return Answer(
            status: refusal.status,
            body: encode(YooKassaObjects.Failure(id: newID(), code: refusal.code, description: refusal.description, parameter: refusal.parameter)))
    }

    static func notFound(_ parameter: String) -> Answer {
        failure(
            YooKassaChecks.Refusal(status: 404, code: "not_found", description: "The object does not exist or access is denied", parameter: parameter)
        )
    }
}
