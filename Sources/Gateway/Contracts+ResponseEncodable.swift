import Contracts
import Hummingbird
import Kernel

extension Customer: ResponseEncodable {}
extension Contract: ResponseEncodable {}
extension TimelineEntry: ResponseEncodable {}
extension AccountBalance: ResponseEncodable {}
extension Tariff: ResponseEncodable {}
extension Subscription: ResponseEncodable {}
extension InvoiceDetail: ResponseEncodable {}
extension Payment: ResponseEncodable {}
extension PromisedPayment: ResponseEncodable {}
extension PromisedPaymentOffer: ResponseEncodable {}
extension TariffChangePreview: ResponseEncodable {}
extension BillingRun: ResponseEncodable {}
extension LedgerVerification: ResponseEncodable {}
extension Page: ResponseGenerator where Item: Codable {}
extension Page: ResponseEncodable where Item: Codable {}

/// A plain list answer: `{"items": [...]}`.
struct ItemList<Item: Codable & Sendable>: ResponseEncodable, Sendable {
    var items: [Item]
}
extension Autopay: ResponseEncodable {}
extension Ticket: ResponseEncodable {}
extension SupportAgent: ResponseEncodable {}
extension TicketRating: ResponseEncodable {}
extension CannedReply: ResponseEncodable {}
extension Device: ResponseEncodable {}
extension InboxPage: ResponseEncodable {}
extension NotificationPreferences: ResponseEncodable {}
extension NotificationTemplateInfo: ResponseEncodable {}
extension TemplatePreview: ResponseEncodable {}
