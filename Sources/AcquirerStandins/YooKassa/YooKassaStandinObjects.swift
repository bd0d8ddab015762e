import Foundation

/// The objects of YooKassa's API v3 as its documentation shows them, the stand-in's own (not the adapter's).
enum YooKassaObjects {
    struct Amount: Codable, Sendable, Equatable {
        var value: String
        var currency: String
    }

    struct Recipient: Codable, Sendable {
        var accountId: String
        var gatewayId: String

        enum CodingKeys: String, CodingKey {
            case accountId = "account_id", gatewayId = "gateway_id"
        }
    }

    struct Confirmation: Codable, Sendable {
        var type: String
        var returnUrl: String?
        var confirmationUrl: String?
        var confirmationData: String?

        enum CodingKeys: String, CodingKey {
            case type
            case returnUrl = "return_url", confirmationUrl = "confirmation_url", confirmationData = "confirmation_data"
        }
    }

    struct Card: Codable, Sendable {
        var first6: String
        var last4: String
        var expiryMonth: String
        var expiryYear: String
        var cardType: String
        var issuerCountry: String

        enum CodingKeys: String, CodingKey {
            case first6, last4
            case expiryMonth = "expiry_month", expiryYear = "expiry_year", cardType = "card_type", issuerCountry = "issuer_country"
        }
    }

    struct PaymentMethod: Codable, Sendable {
        var type: String
        var id: String
        var saved: Bool
        var title: String?
        var card: Card?
    }

    struct CancellationDetails: Codable, Sendable {
        var party: String
        var reason: String
    }

    struct Payment: Codable, Sendable {
        var id: String
        var status: String
        var paid: Bool
        var amount: Amount
        var description: String?
        var recipient: Recipient
        var paymentMethod: PaymentMethod?
        var capturedAt: String?
        var createdAt: String
        var expiresAt: String?
        var confirmation: Confirmation?
        var test: Bool
        var refundedAmount: Amount?
        var refundable: Bool
        var receiptRegistration: String?
        var metadata: [String: String]
        var cancellationDetails: CancellationDetails?
        var merchantCustomerId: String?

        enum CodingKeys: String, CodingKey {
            case id, status, paid, amount, description, recipient, confirmation, test, refundable, metadata
            case paymentMethod = "payment_method", capturedAt = "captured_at", createdAt = "created_at", expiresAt = "expires_at"
            case refundedAmount = "refunded_amount", receiptRegistration = "receipt_registration"
            case cancellationDetails = "cancellation_details", merchantCustomerId = "merchant_customer_id"
        }
    }

    struct Refund: Codable, Sendable {
        var id: String
        var paymentId: String
        var status: String
        var createdAt: String
        var amount: Amount
        var description: String?
        var receiptRegistration: String?
        var metadata: [String: String]?

        enum CodingKeys: String, CodingKey {
            case id, status, amount, description, metadata
            case paymentId = "payment_id", createdAt = "created_at", receiptRegistration = "receipt_registration"
        }
    }

    struct List<Item: Codable & Sendable>: Codable, Sendable {
        var type = "list"
        var items: [Item]
        var nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case type, items
            case nextCursor = "next_cursor"
        }
    }

    struct Failure: Codable, Sendable {
        var type = "error"
        var id: String
        var code: String
        var description: String
        var parameter: String?
    }

    struct Notification<Object: Codable & Sendable>: Codable, Sendable {
        var type = "notification"
        var event: String
        var object: Object
    }

    // What clients send.

    struct PaymentRequest: Decodable {
        var amount: Amount
        var description: String?
        var capture: Bool?
        var confirmation: Confirmation?
        var paymentMethodData: MethodData?
        var paymentMethodId: String?
        var savePaymentMethod: Bool?
        var metadata: [String: String]?
        var merchantCustomerId: String?
        var receipt: Receipt?

        enum CodingKeys: String, CodingKey {
            case amount, description, capture, confirmation, metadata, receipt
            case paymentMethodData = "payment_method_data", paymentMethodId = "payment_method_id"
            case savePaymentMethod = "save_payment_method", merchantCustomerId = "merchant_customer_id"
        }
    }

    struct MethodData: Decodable {
        var type: String
    }

    struct CaptureRequest: Decodable {
        var amount: Amount?
    }

    struct RefundRequest: Decodable {
        var paymentId: String
        var amount: Amount
        var description: String?
        var metadata: [String: String]?
        var receipt: Receipt?

        enum CodingKeys: String, CodingKey {
            case amount, description, metadata, receipt
            case paymentId = "payment_id"
        }
    }

    struct Receipt: Decodable {
        var customer: Customer?
        var items: [Item]
        var taxSystemCode: Int?

        enum CodingKeys: String, CodingKey {
            case customer, items
            case taxSystemCode = "tax_system_code"
        }
    }

    struct Customer: Decodable {
        var email: String?
        var phone: String?
        var fullName: String?

        enum CodingKeys: String, CodingKey {
            case email, phone
            case fullName = "full_name"
        }
    }

    struct Item: Decodable {
        var description: String
        var quantity: Quantity
        var amount: Amount
        var vatCode: Int
        var paymentMode: String?
        var paymentSubject: String?

        enum CodingKeys: String, CodingKey {
            case description, quantity, amount
            case vatCode = "vat_code", paymentMode = "payment_mode", paymentSubject = "payment_subject"
        }
    }

    /// An item's quantity: the documentation shows a number, SDKs send a decimal string; both are read exactly.
    struct Quantity: Decodable {
        var value: Decimal

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), text.first?.isNumber == true else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a number")
                }
                self.value = value
            } else {
                value = try container.decode(Decimal.self)
            }
        }
    }
}
