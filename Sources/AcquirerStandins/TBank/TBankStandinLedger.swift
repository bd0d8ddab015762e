import Foundation

/// A payment the stand-in holds.
struct TBankStandinPayment: Sendable {
    var id: String
    var orderID: String
    var amount: Int64
    var status: String
    var description: String?
    var customerKey: String?
    var recurrent: Bool
    var notificationURL: String?
    var successURL: String?
    var failURL: String?
    var refunded: Int64 = 0
    /// Refunds and cancels by `ExternalRequestId`, with the answer first given.
    var operations: [String: [String: TBankStandinJSON]] = [:]
    var rebillID: String?
    var cardID: String?
    var errorCode = "0"
    var createdAt: Date
}

/// A card saved by a recurrent payment.
struct TBankStandinRebill: Sendable {
    var customerKey: String
    var cardID: String
    var pan: String
    var declined = false
}

/// What a stand-in API call answers, and the notification it sends afterwards.
struct TBankStandinOutcome: Sendable {
    var answer: [String: TBankStandinJSON]
    var notify: TBankStandinPayment?
}

/// The stand-in's payments, orders and saved cards; one actor keeps every change atomic under concurrent clients.
actor TBankStandinLedger {
    private var payments: [String: TBankStandinPayment] = [:]
    private var orders: [String: [String]] = [:]
    private var rebills: [String: TBankStandinRebill] = [:]
    private var nextPayment: Int64 = 4_300_000_001
    private var nextCard: Int64 = 70_001
    private let terminalKey: String

    init(terminalKey: String) {
        self.terminalKey = terminalKey
    }

    /// T-Bank's error answer.
    func failure(_ code: String, _ message: String, details: String? = nil) -> [String: TBankStandinJSON] {
        var answer: [String: TBankStandinJSON] = [
            "Success": .bool(false), "ErrorCode": .string(code), "Message": .string(message), "TerminalKey": .string(terminalKey),
        ]
        if let details { answer["Details"] = .string(details) }
        return answer
    }

    /// The answer T-Bank gives about a payment.
    func describe(_ payment: TBankStandinPayment, success: Bool = true, code: String = "0") -> [String: TBankStandinJSON] {
        [
            "Success": .bool(success), "ErrorCode": .string(code), "TerminalKey": .string(terminalKey), "Status": .string(payment.status),
            "PaymentId": .string(payment.id), "OrderId": .string(payment.orderID), "Amount": .integer(payment.amount),
        ]
    }

    /// `Init`: a new payment for an order that has no live one.
    func create(_ request: TBankStandinInit, pageBase: String) -> [String: TBankStandinJSON] {
        let live = (orders[request.orderID] ?? []).compactMap { payments[$0] }.filter {
            !["REJECTED", "CANCELED", "DEADLINE_EXPIRED"].contains($0.status)
        }
        if !live.isEmpty {
            return failure("20", "Ошибка повторного идентификатора заказа", details: "Заказ \(request.orderID) уже оплачивается")
        }
        let id = String(nextPayment)
        nextPayment += 1
        payments[id] = TBankStandinPayment(
            id: id, orderID: request.orderID, amount: request.amount, status: "NEW", description: request.description,
            customerKey: request.customerKey, recurrent: request.recurrent, notificationURL: request.notificationURL,
            successURL: request.successURL, failURL: request.failURL, createdAt: Date())
        orders[request.orderID, default: []].append(id)
        var answer = describe(payments[id]!)
        answer["PaymentURL"] = .string("\(pageBase)/new/\(id)")
        return answer
    }

    /// `GetState`.
    func state(_ id: String) -> [String: TBankStandinJSON] {
        guard let payment = payments[id] else { return failure("255", "Платеж не найден") }
        return describe(payment)
    }

    /// `CheckOrder`.
    func order(_ orderID: String) -> [String: TBankStandinJSON] {
        guard let ids = orders[orderID] else {
            return failure("335", "OrderId \(orderID) не найден для TerminalKey \(terminalKey)")
        }
        let list: [TBankStandinJSON] = ids.compactMap { payments[$0] }.map { payment in
            .object([
                "PaymentId": .string(payment.id), "Amount": .integer(payment.amount), "Status": .string(payment.status),
                "RRN": .string(String(payment.id.suffix(12))), "Success": .bool(payment.errorCode == "0"), "ErrorCode": .string(payment.errorCode),
            ])
        }
        return [
            "Success": .bool(true), "ErrorCode": .string("0"), "TerminalKey": .string(terminalKey), "OrderId": .string(orderID),
            "Payments": .array(list),
        ]
    }

    /// `Cancel`: cancels an unpaid payment, reverses a hold, or refunds (part of) a paid one; an `ExternalRequestId`
    /// seen before answers the operation's current state and changes nothing.
    func cancel(_ id: String, amount: Int64?, externalID: String?, receiptTotal: Int64?) -> TBankStandinOutcome {
        guard var payment = payments[id] else { return TBankStandinOutcome(answer: failure("255", "Платеж не найден")) }
        if let externalID, var first = payment.operations[externalID] {
            first["Status"] = .string(payment.status)
            return TBankStandinOutcome(answer: first)
        }
        let original = payment.amount - payment.refunded
        switch payment.status {
        case "NEW", "FORM_SHOWED":
            payment.status = "CANCELED"
        case "AUTHORIZED":
            payment.status = "REVERSED"
        case "CONFIRMED", "PARTIAL_REFUNDED":
            let refund = amount ?? original
            guard refund > 0, refund <= original else {
                return TBankStandinOutcome(
                    answer: failure("330", "Сумма отмены больше суммы платежа", details: "Можно вернуть не больше \(original)"))
            }
            if let receiptTotal, receiptTotal != refund {
                return TBankStandinOutcome(answer: failure("334", "Суммы в чеке и в платеже не совпадают"))
            }
            payment.refunded += refund
            payment.status = payment.refunded == payment.amount ? "REFUNDED" : "PARTIAL_REFUNDED"
        default:
            return TBankStandinOutcome(answer: failure("4", "Не получится изменить статус платежа", details: "Платеж в статусе \(payment.status)"))
        }
        var answer = describe(payment)
        answer["Amount"] = nil
        answer["OriginalAmount"] = .integer(original)
        answer["NewAmount"] = .integer(payment.amount - payment.refunded)
        if ["CANCELED", "REVERSED"].contains(payment.status) { answer["NewAmount"] = .integer(0) }
        if let externalID {
            answer["ExternalRequestId"] = .string(externalID)
            payment.operations[externalID] = answer
        }
        payments[id] = payment
        return TBankStandinOutcome(answer: answer, notify: payment)
    }

    /// `Charge` of a saved card for a `NEW` payment: at once, no page; declined when told so.
    func charge(_ id: String, rebillID: String) -> TBankStandinOutcome {
        guard var payment = payments[id] else { return TBankStandinOutcome(answer: failure("255", "Платеж не найден")) }
        guard payment.status == "NEW" else {
            return TBankStandinOutcome(answer: failure("8", "Неверный статус транзакции", details: "Платеж в статусе \(payment.status)"))
        }
        guard let rebill = rebills[rebillID] else {
            return TBankStandinOutcome(answer: failure("7", "Неверный статус покупателя", details: "RebillId \(rebillID) не найден"))
        }
        payment.cardID = rebill.cardID
        if rebill.declined {
            payment.status = "REJECTED"
            payment.errorCode = "1051"
            payments[id] = payment
            var answer = describe(payment, success: false, code: "1051")
            answer["Message"] = .string("Недостаточно средств на карте")
            return TBankStandinOutcome(answer: answer, notify: payment)
        }
        payment.status = "CONFIRMED"
        payments[id] = payment
        return TBankStandinOutcome(answer: describe(payment), notify: payment)
    }

    /// `GetQr`: an SBP link (or an SVG of it) for an unpaid payment.
    func qr(_ id: String, image: Bool) -> [String: TBankStandinJSON] {
        guard let payment = payments[id] else { return failure("255", "Платеж не найден") }
        guard ["NEW", "FORM_SHOWED"].contains(payment.status) else { return failure("8", "Неверный статус транзакции") }
        let link = "https://qr.nspk.ru/AD1000\(payment.id)?type=02&bank=100000000004&sum=\(payment.amount)&cur=RUB&crc=0000"
        let data = image ? "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>\(link)</text></svg>" : link
        return [
            "Success": .bool(true), "ErrorCode": .string("0"), "TerminalKey": .string(terminalKey), "OrderId": .string(payment.orderID),
            "PaymentId": .string(payment.id), "Data": .string(data), "RequestKey": .string(UUID().uuidString.lowercased()),
        ]
    }

    /// A payment as the page shows it; showing the page to the customer moves a new payment to `FORM_SHOWED`.
    func show(_ id: String) -> TBankStandinPayment? {
        if payments[id]?.status == "NEW" { payments[id]?.status = "FORM_SHOWED" }
        return payments[id]
    }

    /// The customer pays (the card or the bank app says yes) or declines on the page; `nil` when it is not payable.
    func settle(_ id: String, pay: Bool) -> TBankStandinPayment? {
        guard var payment = payments[id], ["NEW", "FORM_SHOWED"].contains(payment.status) else { return nil }
        let card = String(nextCard)
        nextCard += 1
        payment.cardID = card
        if pay {
            payment.status = "CONFIRMED"
            if payment.recurrent, let customer = payment.customerKey {
                let rebill = String(nextPayment * 10 + 7)
                rebills[rebill] = TBankStandinRebill(customerKey: customer, cardID: card, pan: "430000******0777")
                payment.rebillID = rebill
            }
        } else {
            payment.status = "REJECTED"
            payment.errorCode = "1051"
        }
        payments[id] = payment
        return payment
    }

    /// Makes every later `Charge` of `rebillID` declined; `false` when no such card was saved.
    func decline(rebillID: String) -> Bool {
        guard rebills[rebillID] != nil else { return false }
        rebills[rebillID]?.declined = true
        return true
    }

    /// A notification about `payment`, as T-Bank posts it (signed by the caller).
    func notification(_ payment: TBankStandinPayment) -> [String: TBankStandinJSON] {
        var body: [String: TBankStandinJSON] = [
            "TerminalKey": .string(terminalKey), "OrderId": .string(payment.orderID), "Success": .bool(payment.errorCode == "0"),
            "Status": .string(payment.status), "PaymentId": .integer(Int64(payment.id) ?? 0), "ErrorCode": .string(payment.errorCode),
            "Amount": .integer(payment.amount), "Pan": .string("430000******0777"), "ExpDate": .string("1230"),
        ]
        if let card = payment.cardID, let number = Int64(card) { body["CardId"] = .integer(number) }
        if let rebill = payment.rebillID, let number = Int64(rebill) { body["RebillId"] = .integer(number) }
        return body
    }
}
