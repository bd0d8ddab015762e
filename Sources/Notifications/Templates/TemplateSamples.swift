import Foundation
import Kernel

/// The values each kind of notification carries, with sample contents: what a template may use, and what a preview
/// and the check of a new version render.
enum TemplateSamples {
    private static let invoice: [String: TemplateValue] = [
        "number": .text("2026-12-0042"), "total": .money(.rub(85_000)), "due_on": .date(LocalDate(year: 2026, month: 12, day: 20)!),
        "link": .text("/invoices/sample"),
    ]
    private static let payment: [String: TemplateValue] = ["amount": .money(.rub(100_000)), "link": .text("/payments")]
    private static let ticket: [String: TemplateValue] = ["number": .number(1234), "link": .text("/support/tickets/sample")]
    private static let moment = Date(timeIntervalSince1970: 1_797_000_000)

    /// By kind.
    static let values: [String: [String: TemplateValue]] = [
        "invoice.created": invoice,
        "invoice.overdue": [
            "amount": .money(.rub(85_000)), "due_on": .date(LocalDate(year: 2026, month: 12, day: 20)!), "link": .text("/invoices/sample"),
        ],
        "autopay.scheduled": [
            "amount": .money(.rub(85_000)), "method": .text("Visa •••• 4242"), "charge_at": .instant(moment), "link": .text("/payments"),
        ],
        "autopay.failed": ["amount": .money(.rub(85_000)), "reason": .text("недостаточно средств"), "link": .text("/payments")],
        "payment.succeeded": payment,
        "payment.failed": payment,
        "payment.refunded": payment,
        "subscription.suspended": ["balance": .money(.rub(-15_000)), "link": .text("/payments")],
        "subscription.resumed": ["link": .text("/")],
        "promised_payment.taken": ["amount": .money(.rub(50_000)), "expires_at": .instant(moment), "link": .text("/payments")],
        "promised_payment.expired": ["amount": .money(.rub(50_000)), "link": .text("/payments")],
        "ticket.created": ticket.merging(["subject": .text("Медленный интернет по вечерам")]) { $1 },
        "ticket.reply": ticket,
        "ticket.waiting": ticket,
        "ticket.resolved": ticket.merging(["rating_url": .text("https://isp.example/api/v1/support/tickets/sample/rating")]) { $1 },
        "ticket.assigned.operator": ticket,
        "ticket.reply.operator": ticket,
        "auth.password_reset": ["token": .text("sample-token"), "expires_at": .instant(moment), "link": .text("/reset-password?token=sample-token")],
        "auth.refresh_reuse": ["ip": .text("203.0.113.7"), "link": .text("/profile/sessions")],
        "auth.new_device": [
            "device": .text("Firefox on Windows"), "ip": .text("203.0.113.7"), "at": .instant(moment), "link": .text("/profile/sessions"),
        ],
    ]

    /// The names a template of `kind` may use.
    static func variables(of kind: String) -> [String] {
        let own = (values[kind] ?? [:]).keys.filter { $0 != "link" }
        return (own + ["name", "first_name", "brand"] + ((values[kind]?["link"]) == nil ? [] : ["url"])).sorted()
    }

    /// The sample person of previews.
    static func recipient(locale: String) -> Recipient {
        locale == "en"
            ? Recipient(userID: "sample", customerID: "sample", name: "John Smith", email: "john@example.net", phone: nil, locale: "en")
            : Recipient(userID: "sample", customerID: "sample", name: "Иванов Иван Иванович", email: "ivan@example.net", phone: nil, locale: "ru")
    }
}
