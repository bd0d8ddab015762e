import Foundation

/// What YooKassa's API checks in what clients send, and how it writes amounts and times.
enum YooKassaChecks {
    /// A refusal: the error object's code, text and the parameter it names.
    struct Refusal: Error {
        var status: Int = 400
        var code = "invalid_request"
        var description: String
        var parameter: String?
    }

    /// `"100.00"` as kopecks; at most two fraction digits, no sign, nothing but digits and one point.
    static func kopecks(_ value: String) -> Int64? {
        let parts = value.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 15, whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber) else {
            return nil
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || (1...2).contains(fraction.count), fraction.allSatisfy(\.isASCII), fraction.allSatisfy(\.isNumber) else {
            return nil
        }
        let padded = fraction + String(repeating: "0", count: 2 - fraction.count)
        return Int64(whole + padded)
    }

    /// Kopecks as `"100.00"`.
    static func value(_ kopecks: Int64) -> String {
        let fraction = kopecks % 100
        return "\(kopecks / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// A positive amount in roubles, as kopecks.
    static func amount(_ amount: YooKassaObjects.Amount, parameter: String) throws(Refusal) -> Int64 {
        guard let kopecks = kopecks(amount.value), kopecks > 0 else {
            throw Refusal(description: "Invalid amount value: \(amount.value.prefix(32))", parameter: "\(parameter).value")
        }
        guard amount.currency == "RUB" else { throw Refusal(description: "The shop accepts only RUB", parameter: "\(parameter).currency") }
        return kopecks
    }

    /// What every object's `metadata` must keep to: at most 16 keys of 32 characters, values of 512.
    static func metadata(_ metadata: [String: String]?) throws(Refusal) {
        guard let metadata else { return }
        guard metadata.count <= 16, metadata.allSatisfy({ $0.key.count <= 32 && $0.value.count <= 512 }) else {
            throw Refusal(description: "metadata holds at most 16 keys of 32 characters with values of 512", parameter: "metadata")
        }
    }

    static let paymentModes: Set<String> = [
        "full_prepayment", "partial_prepayment", "advance", "full_payment", "partial_payment", "credit", "credit_payment",
    ]
    static let paymentSubjects: Set<String> = [
        "commodity", "excise", "job", "service", "gambling_bet", "gambling_prize", "lottery", "lottery_prize", "intellectual_activity",
        "payment", "agent_commission", "property_right", "non_operating_gain", "insurance_premium", "sales_tax", "resort_fee", "composite",
        "another", "fine", "tax", "lien", "cost", "pension_insurance_without_payouts", "pension_insurance_with_payouts",
        "health_insurance_without_payouts", "health_insurance_with_payouts", "health_insurance", "casino", "agent_withdrawals",
        "non_marked_excise", "marked_excise", "marked", "non_marked",
    ]

    /// A receipt for an operation of `total` kopecks: a contact, 1 to 100 items with VAT codes 1–12 whose prices
    /// times quantities add up to the total.
    static func receipt(_ receipt: YooKassaObjects.Receipt, total: Int64) throws(Refusal) {
        let email = receipt.customer?.email ?? ""
        let phone = receipt.customer?.phone ?? ""
        guard !email.isEmpty || !phone.isEmpty else {
            throw Refusal(description: "The receipt needs the customer's email or phone", parameter: "receipt.customer")
        }
        if !phone.isEmpty, !(phone.count >= 7 && phone.count <= 15 && phone.allSatisfy { $0.isASCII && $0.isNumber }) {
            throw Refusal(description: "The phone is digits in the ITU-T E.164 format, such as 79000000000", parameter: "receipt.customer.phone")
        }
        if !email.isEmpty, !email.contains("@") { throw Refusal(description: "Invalid email", parameter: "receipt.customer.email") }
        if let code = receipt.taxSystemCode, !(1...6).contains(code) {
            throw Refusal(description: "tax_system_code is 1 to 6", parameter: "receipt.tax_system_code")
        }
        guard (1...100).contains(receipt.items.count) else {
            throw Refusal(description: "A receipt holds 1 to 100 items", parameter: "receipt.items")
        }
        var sum = Decimal(0)
        for (index, item) in receipt.items.enumerated() {
            let name = "receipt.items[\(index)]"
            guard (1...128).contains(item.description.count) else {
                throw Refusal(description: "1 to 128 characters", parameter: "\(name).description")
            }
            guard item.quantity.value > 0 else { throw Refusal(description: "The quantity must be positive", parameter: "\(name).quantity") }
            let price = try amount(item.amount, parameter: "\(name).amount")
            guard (1...12).contains(item.vatCode) else { throw Refusal(description: "vat_code is 1 to 12", parameter: "\(name).vat_code") }
            if let mode = item.paymentMode, !paymentModes.contains(mode) {
                throw Refusal(description: "Unknown payment_mode", parameter: "\(name).payment_mode")
            }
            if let subject = item.paymentSubject, !paymentSubjects.contains(subject) {
                throw Refusal(description: "Unknown payment_subject", parameter: "\(name).payment_subject")
            }
            sum += Decimal(price) * item.quantity.value
        }
        guard sum == Decimal(total) else {
            throw Refusal(
                description: "The sum of the receipt items (amount × quantity) does not match the amount: \(sum / 100) ≠ \(value(total))",
                parameter: "receipt.items")
        }
    }

    /// `2026-12-07T15:00:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// An ISO 8601 time, with or without fractions of a second (more than milliseconds are cut to milliseconds).
    static func date(_ text: some StringProtocol) -> Date? {
        var text = String(text)
        if let point = text.firstIndex(of: ".") {
            let digits = text[text.index(after: point)...].prefix { $0.isASCII && $0.isNumber }
            if digits.count > 3 { text.removeSubrange(text.index(point, offsetBy: 4)..<digits.endIndex) }
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// The parameter a decoding failure is about: `receipt.items[0].amount`.
    static func parameter(of error: any Error) -> String? {
        let path: [any CodingKey]
        switch error as? DecodingError {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        default: return nil
        }
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? nil : text
    }
}
