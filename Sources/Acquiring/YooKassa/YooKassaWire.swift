import Foundation

/// The API's objects as the adapter sends and reads them (API v3); fields the adapter does not use are left out.
enum YooKassaWire {
    struct PaymentRequest: Encodable {
        var amount: YooKassaAmount
        var capture: Bool
        var description: String
        var metadata: [String: String]
        var confirmation: ConfirmationRequest?
        var paymentMethodData: MethodData?
        var paymentMethodID: String?
        var savePaymentMethod: Bool?
        var merchantCustomerID: String?
        var receipt: Receipt?

        enum CodingKeys: String, CodingKey {
            case amount, capture, description, metadata, confirmation, receipt
            case paymentMethodData = "payment_method_data", paymentMethodID = "payment_method_id"
            case savePaymentMethod = "save_payment_method", merchantCustomerID = "merchant_customer_id"
        }
    }

    struct ConfirmationRequest: Encodable {
        var type: String
        var returnURL: String?

        enum CodingKeys: String, CodingKey {
            case type
            case returnURL = "return_url"
        }
    }

    struct MethodData: Encodable {
        var type: String
    }

    struct RefundRequest: Encodable {
        var paymentID: String
        var amount: YooKassaAmount
        var description: String
        var metadata: [String: String]
        var receipt: Receipt?

        enum CodingKeys: String, CodingKey {
            case amount, description, metadata, receipt
            case paymentID = "payment_id"
        }
    }

    struct Receipt: Encodable {
        var customer: Customer
        var items: [Item]
        var taxSystemCode: Int?

        enum CodingKeys: String, CodingKey {
            case customer, items
            case taxSystemCode = "tax_system_code"
        }
    }

    struct Customer: Encodable {
        var email: String?
        var phone: String?
    }

    struct Item: Encodable {
        var description: String
        var quantity: String
        var amount: YooKassaAmount
        var vatCode: Int
        var paymentMode: String
        var paymentSubject: String

        enum CodingKeys: String, CodingKey {
            case description, quantity, amount
            case vatCode = "vat_code", paymentMode = "payment_mode", paymentSubject = "payment_subject"
        }
    }

    struct Payment: Decodable {
        var id: String
        var status: String
        var amount: YooKassaAmount
        var createdAt: String
        var metadata: [String: String]?
        var confirmation: Confirmation?
        var paymentMethod: PaymentMethod?
        var cancellationDetails: CancellationDetails?

        enum CodingKeys: String, CodingKey {
            case id, status, amount, metadata, confirmation
            case createdAt = "created_at", paymentMethod = "payment_method", cancellationDetails = "cancellation_details"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            status = try container.decode(String.self, forKey: .status)
            amount = try container.decode(YooKassaAmount.self, forKey: .amount)
            createdAt = try container.decode(String.self, forKey: .createdAt)
            metadata = try? container.decodeIfPresent([String: String].self, forKey: .metadata)
            confirmation = try container.decodeIfPresent(Confirmation.self, forKey: .confirmation)
            paymentMethod = try container.decodeIfPresent(PaymentMethod.self, forKey: .paymentMethod)
            cancellationDetails = try container.decodeIfPresent(CancellationDetails.self, forKey: .cancellationDetails)
        }
    }

    struct Confirmation: Decodable {
        var type: String
        var confirmationURL: String?
        var confirmationData: String?

        enum CodingKeys: String, CodingKey {
            case type
            case confirmationURL = "confirmation_url", confirmationData = "confirmation_data"
        }
    }

    struct PaymentMethod: Decodable {
        var type: String
        var id: String
        var saved: Bool
        var title: String?
        var card: Card?
    }

    struct Card: Decodable {
        var last4: String?
        var expiryMonth: String?
        var expiryYear: String?
        var cardType: String?

        enum CodingKeys: String, CodingKey {
            case last4
            case expiryMonth = "expiry_month", expiryYear = "expiry_year", cardType = "card_type"
        }
    }

    struct CancellationDetails: Decodable {
        var party: String?
        var reason: String?
    }

    struct Refund: Decodable {
        var id: String
        var paymentID: String
        var status: String
        var amount: YooKassaAmount
        var createdAt: String
        var metadata: [String: String]?

        enum CodingKeys: String, CodingKey {
            case id, status, amount, metadata
            case paymentID = "payment_id", createdAt = "created_at"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            paymentID = try container.decode(String.self, forKey: .paymentID)
            status = try container.decode(String.self, forKey: .status)
            amount = try container.decode(YooKassaAmount.self, forKey: .amount)
            createdAt = try container.decode(String.self, forKey: .createdAt)
            metadata = try? container.decodeIfPresent([String: String].self, forKey: .metadata)
        }
    }

    struct List<Item: Decodable>: Decodable {
        var items: [Item]
        var nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case items
            case nextCursor = "next_cursor"
        }
    }

    struct Failure: Decodable {
        var code: String?
        var description: String?
        var parameter: String?
    }

    struct Notification: Decodable {
        var type: String
        var event: String
        var object: NotifiedObject
    }

    struct NotifiedObject: Decodable {
        var id: String
        var paymentID: String?
        var metadata: [String: String]?

        enum CodingKeys: String, CodingKey {
            case id, metadata
            case paymentID = "payment_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            paymentID = try container.decodeIfPresent(String.self, forKey: .paymentID)
            metadata = try? container.decodeIfPresent([String: String].self, forKey: .metadata)
        }
    }
}
