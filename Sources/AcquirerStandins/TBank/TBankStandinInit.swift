import Foundation

/// An `Init` request, checked as T-Bank checks it.
struct TBankStandinInit: Sendable {
    var amount: Int64
    var orderID: String
    var description: String?
    var customerKey: String?
    var recurrent: Bool
    var notificationURL: String?
    var successURL: String?
    var failURL: String?

    /// A refusal: T-Bank's code, message and details.
    struct Refusal: Error {
        var code: String
        var message: String
        var details: String?
    }

    /// Reads `fields`; throws the refusal T-Bank would answer.
    init(_ fields: [String: TBankStandinJSON]) throws(Refusal) {
        guard let value = fields["Amount"] else { throw Refusal(code: "201", message: "Поле Amount не должно быть пустым") }
        guard let amount = value.integer, amount >= 100 else {
            throw Refusal(code: "251", message: "Неверная сумма. Сумма должна быть больше или равна 100 копеек")
        }
        guard let orderID = fields["OrderId"]?.string, !orderID.isEmpty else {
            throw Refusal(code: "201", message: "Поле OrderId не должно быть пустым")
        }
        guard orderID.count <= 36 else { throw Refusal(code: "212", message: "Размер поля OrderId должен быть от 1 до 36") }
        let description = fields["Description"]?.string
        if let description, description.count > 140 { throw Refusal(code: "213", message: "Размер поля Description должен быть от 0 до 140") }
        let customerKey = fields["CustomerKey"]?.string
        if let customerKey, customerKey.isEmpty || customerKey.count > 36 {
            throw Refusal(code: "216", message: "Размер поля CustomerKey должен быть от 1 до 36")
        }
        let recurrent = fields["Recurrent"]?.string == "Y"
        if recurrent && customerKey == nil { throw Refusal(code: "201", message: "Поле CustomerKey не должно быть пустым") }
        if let payType = fields["PayType"]?.string, !["O", "T"].contains(payType) {
            throw Refusal(code: "1", message: "Параметры не сопоставлены", details: "PayType может быть O или T")
        }
        if let receipt = fields["Receipt"] {
            guard let receipt = receipt.object else { throw Refusal(code: "309", message: "Поле Receipt не должно быть пустым") }
            let total = try Self.checkReceipt(receipt)
            if total != amount {
                throw Refusal(code: "334", message: "Суммы в чеке и в платеже не совпадают", details: "Позиции чека: \(total), платеж: \(amount)")
            }
        }
        self.amount = amount
        self.orderID = orderID
        self.description = description
        self.customerKey = customerKey
        self.recurrent = recurrent
        self.notificationURL = fields["NotificationURL"]?.string
        self.successURL = fields["SuccessURL"]?.string
        self.failURL = fields["FailURL"]?.string
    }

    static let taxations: Set<String> = ["osn", "usn_income", "usn_income_outcome", "envd", "esn", "patent"]
    static let taxes: Set<String> = ["none", "vat0", "vat5", "vat7", "vat10", "vat20", "vat22", "vat105", "vat107", "vat110", "vat120", "vat122"]
    static let methods: Set<String> = ["full_prepayment", "prepayment", "advance", "full_payment", "partial_payment", "credit", "credit_payment"]
    static let objects: Set<String> = [
        "commodity", "excise", "job", "service", "gambling_bet", "gambling_prize", "lottery", "lottery_prize", "intellectual_activity",
        "payment", "agent_commission", "composite", "another",
    ]

    /// Checks a receipt (54-ФЗ) as T-Bank's register does; answers the sum of its items.
    static func checkReceipt(_ receipt: [String: TBankStandinJSON]) throws(Refusal) -> Int64 {
        if receipt["Email"]?.string == nil && receipt["Phone"]?.string == nil {
            throw Refusal(code: "206", message: "email не может быть пустым", details: "В чеке нужен Email или Phone")
        }
        guard let taxation = receipt["Taxation"]?.string, taxations.contains(taxation) else {
            throw Refusal(code: "1", message: "Параметры не сопоставлены", details: "Неверное значение Taxation")
        }
        let ffd12 = receipt["FfdVersion"]?.string == "1.2"
        guard case .array(let items)? = receipt["Items"], !items.isEmpty, items.count <= 100 else {
            throw Refusal(code: "309", message: "Поле Receipt не должно быть пустым", details: "В чеке должно быть от 1 до 100 позиций")
        }
        var total: Int64 = 0
        for item in items {
            guard let item = item.object else { throw Refusal(code: "1", message: "Параметры не сопоставлены", details: "Позиция чека не объект") }
            guard let name = item["Name"]?.string, (1...128).contains(name.count) else {
                throw Refusal(code: "1", message: "Параметры не сопоставлены", details: "Name позиции от 1 до 128 символов")
            }
            guard let price = item["Price"]?.integer, price >= 0, let quantity = item["Quantity"]?.decimal, quantity > 0,
                let lineAmount = item["Amount"]?.integer, lineAmount >= 0
            else {
                throw Refusal(code: "1", message: "Параметры не сопоставлены", details: "Price, Quantity и Amount позиции — числа")
            }
            guard let tax = item["Tax"]?.string, taxes.contains(tax) else {
                throw Refusal(code: "1", message: "Параметры не сопоставлены", details: "Неверное значение Tax")
            }
            guard let method = item["PaymentMethod"]?.string, methods.contains(method) else {
                throw Refusal(code: "201", message: "Поле paymentMethod не должно быть пустым")
            }
            guard let object = item["PaymentObject"]?.string, objects.contains(object) else {
                throw Refusal(code: "201", message: "Поле paymentObject не должно быть пустым")
            }
            if ffd12 && item["MeasurementUnit"]?.string == nil { throw Refusal(code: "201", message: "Поле measurementUnit не должно быть пустым") }
            guard Decimal(price) * quantity == Decimal(lineAmount) else {
                throw Refusal(
                    code: "308", message: "Сумма всех позиций в чеке должна равняться сумме всех видов оплаты",
                    details: "Amount позиции «\(name)» не равен Price × Quantity")
            }
            let (sum, overflow) = total.addingReportingOverflow(lineAmount)
            guard !overflow else { throw Refusal(code: "1", message: "Параметры не сопоставлены", details: "Сумма чека слишком велика") }
            total = sum
        }
        return total
    }
}
