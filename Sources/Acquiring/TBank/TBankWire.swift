import Foundation
import Kernel

/// A JSON value of a T-Bank request, built in code so that the signature sees exactly what is sent.
indirect enum TBankJSON: Encodable, Sendable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case object([(String, TBankJSON)])
    case array([TBankJSON])

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .integer(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .object(let fields):
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in fields { try container.encode(value, forKey: Key(stringValue: key)) }
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        }
    }

    /// The text a signature concatenates, for a scalar.
    var signedText: String? {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .object, .array: nil
        }
    }
}

/// An identifier T-Bank writes as a string in answers and as a number in notifications.
struct TBankIdentifier: Decodable, Sendable, Equatable {
    var value: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = String(number)
        } else {
            value = try container.decode(String.self)
        }
    }
}

/// The fields of T-Bank's answers this adapter reads (`Init`, `GetState`, `CheckOrder`, `Cancel`, `Charge`, `GetQr`).
struct TBankAnswer: Decodable, Sendable {
    var success: Bool
    var errorCode: String
    var message: String?
    var details: String?
    var status: String?
    var paymentID: TBankIdentifier?
    var orderID: String?
    var amount: Int64?
    var paymentURL: String?
    var data: String?
    var externalRequestID: String?
    var payments: [TBankOrderPayment]?

    enum CodingKeys: String, CodingKey {
        case success = "Success", errorCode = "ErrorCode", message = "Message", details = "Details", status = "Status"
        case paymentID = "PaymentId", orderID = "OrderId", amount = "Amount", paymentURL = "PaymentURL", data = "Data"
        case externalRequestID = "ExternalRequestId", payments = "Payments"
    }

    /// The refusal it stands for, in T-Bank's words.
    var reason: String {
        [message, details].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
    }
}

/// One payment of an order in `CheckOrder`'s answer.
struct TBankOrderPayment: Decodable, Sendable {
    var paymentID: TBankIdentifier
    var amount: Int64?
    var status: String

    enum CodingKeys: String, CodingKey {
        case paymentID = "PaymentId", amount = "Amount", status = "Status"
    }
}

extension FiscalReceipt {
    /// The receipt as T-Bank's `Receipt` object.
    func tbankJSON(taxSystem fallback: FiscalTaxSystem, ffdVersion: String) -> TBankJSON {
        var fields: [(String, TBankJSON)] = []
        if let email = customer.email { fields.append(("Email", .string(email))) }
        if let phone = customer.phone { fields.append(("Phone", .string(phone))) }
        fields.append(("Taxation", .string((taxSystem ?? fallback).rawValue)))
        fields.append(("FfdVersion", .string(ffdVersion)))
        let items: [TBankJSON] = items.map { item in
            var line: [(String, TBankJSON)] = [
                ("Name", .string(item.description)),
                ("Price", .integer(item.price.minorUnits)),
                ("Quantity", .integer(item.quantity)),
                ("Amount", .integer(item.amount?.minorUnits ?? 0)),
                ("Tax", .string(item.vat.rawValue)),
                ("PaymentMethod", .string(item.mode.rawValue)),
                ("PaymentObject", .string(item.subject.rawValue)),
            ]
            if ffdVersion == "1.2" { line.append(("MeasurementUnit", .string("шт"))) }
            return .object(line)
        }
        fields.append(("Items", .array(items)))
        return .object(fields)
    }
}

/// What T-Bank's payment statuses mean for us.
enum TBankStatus {
    /// The payment's standing for `status`; `nil` for a status this adapter does not know.
    static func payment(_ status: String) -> ProviderPaymentStatus? {
        switch status {
        case "NEW", "FORM_SHOWED", "AUTHORIZING", "3DS_CHECKING", "3DS_CHECKED", "CONFIRMING", "CONFIRM_CHECKING", "REVERSING":
            .pending
        case "AUTHORIZED", "PARTIAL_REVERSED":
            .waitingForCapture
        case "CONFIRMED", "REFUNDING", "ASYNC_REFUNDING", "PARTIAL_REFUNDED", "REFUNDED":
            .succeeded
        case "CANCELED", "REVERSED", "REJECTED", "AUTH_FAIL", "DEADLINE_EXPIRED", "ATTEMPTS_EXPIRED":
            .canceled
        default:
            nil
        }
    }

    /// Whether a payment in `status` has had money returned.
    static func hasRefunds(_ status: String) -> Bool {
        ["REFUNDING", "ASYNC_REFUNDING", "PARTIAL_REFUNDED", "REFUNDED"].contains(status)
    }

    /// A refund's standing, from the payment's status in `Cancel`'s answer.
    static func refund(_ status: String) -> ProviderRefundStatus {
        switch status {
        case "REFUNDING", "ASYNC_REFUNDING", "QUEUED", "REVERSING": .pending
        default: .succeeded
        }
    }
}
