import Contracts
import Foundation
import Kernel

/// A notification an event asks for, before anyone's preferences are weighed: what kind, for whom, with what
/// values.
struct NotificationDraft: Sendable, Equatable {
    /// The kind: a key of ``NotificationRule/all`` and of the templates.
    var kind: String
    /// For whom.
    var recipient: RecipientRef
    /// The values its templates show; `link` is where it leads in the personal account.
    var data: [String: TemplateValue]
    /// An address given by the event itself (a password reset goes to the e-mail it was asked for).
    var email: String? = nil

    /// The kind's rule.
    var rule: NotificationRule { NotificationRule.all[kind]! }
}

/// Turns events into drafts: the only place that knows which event tells whom what.
enum EventCatalog {
    /// Every event type the service listens to.
    static let types: Set<String> = [
        InvoiceCreated.type, InvoiceOverdue.type, AutopayScheduled.type, AutopayFailed.type, PaymentSucceeded.type, PaymentFailed.type,
        PaymentRefunded.type, SubscriptionSuspended.type, SubscriptionResumed.type, PromisedPaymentTaken.type, PromisedPaymentExpired.type,
        TicketCreated.type, TicketAssigned.type, TicketMessageAdded.type, TicketStatusChanged.type, PasswordResetRequested.type,
        RefreshTokenReuseDetected.type, NewDeviceSignIn.type,
    ]

    /// The drafts one event asks for (none for events nobody needs to hear of, such as an internal note).
    static func drafts(for envelope: EventEnvelope) throws -> [NotificationDraft] {
        switch envelope.type {
        case InvoiceCreated.type:
            let e = try envelope.decode(InvoiceCreated.self)
            return [
                .init(
                    kind: "invoice.created", recipient: .customer(e.customerId),
                    data: ["number": .text(e.number), "total": .money(e.total), "due_on": .date(e.dueOn), "link": .text("/invoices/\(e.invoiceId)")])
            ]
        case InvoiceOverdue.type:
            let e = try envelope.decode(InvoiceOverdue.self)
            return [
                .init(
                    kind: "invoice.overdue", recipient: .customer(e.customerId),
                    data: ["amount": .money(e.amountDue), "due_on": .date(e.dueOn), "link": .text("/invoices/\(e.invoiceId)")])
            ]
        case AutopayScheduled.type:
            let e = try envelope.decode(AutopayScheduled.self)
            return [
                .init(
                    kind: "autopay.scheduled", recipient: .customer(e.customerId),
                    data: ["amount": .money(e.amount), "method": .text(e.methodTitle), "charge_at": .instant(e.chargeAt), "link": .text("/payments")])
            ]
        case AutopayFailed.type:
            let e = try envelope.decode(AutopayFailed.self)
            return [
                .init(
                    kind: "autopay.failed", recipient: .customer(e.customerId),
                    data: ["amount": .money(e.amount), "reason": .text(e.reason), "link": .text("/payments")])
            ]
        case PaymentSucceeded.type:
            let e = try envelope.decode(PaymentSucceeded.self)
            return [
                .init(kind: "payment.succeeded", recipient: .customer(e.customerId), data: ["amount": .money(e.amount), "link": .text("/payments")])
            ]
        case PaymentFailed.type:
            let e = try envelope.decode(PaymentFailed.self)
            return [
                .init(kind: "payment.failed", recipient: .customer(e.customerId), data: ["amount": .money(e.amount), "link": .text("/payments")])
            ]
        case PaymentRefunded.type:
            let e = try envelope.decode(PaymentRefunded.self)
            return [
                .init(kind: "payment.refunded", recipient: .customer(e.customerId), data: ["amount": .money(e.amount), "link": .text("/payments")])
            ]
        case SubscriptionSuspended.type:
            let e = try envelope.decode(SubscriptionSuspended.self)
            return [
                .init(
                    kind: "subscription.suspended", recipient: .customer(e.customerId),
                    data: ["balance": .money(e.balance), "link": .text("/payments")])
            ]
        case SubscriptionResumed.type:
            let e = try envelope.decode(SubscriptionResumed.self)
            return [.init(kind: "subscription.resumed", recipient: .customer(e.customerId), data: ["link": .text("/")])]
        case PromisedPaymentTaken.type:
            let e = try envelope.decode(PromisedPaymentTaken.self)
            return [
                .init(
                    kind: "promised_payment.taken", recipient: .customer(e.customerId),
                    data: ["amount": .money(e.amount), "expires_at": .instant(e.expiresAt), "link": .text("/payments")])
            ]
        case PromisedPaymentExpired.type:
            let e = try envelope.decode(PromisedPaymentExpired.self)
            return [
                .init(
                    kind: "promised_payment.expired", recipient: .customer(e.customerId),
                    data: ["amount": .money(e.amount), "link": .text("/payments")])
            ]
        case TicketCreated.type:
            let e = try envelope.decode(TicketCreated.self)
            return [
                .init(
                    kind: "ticket.created", recipient: .customer(e.customerId),
                    data: ticket(e.ticketId, number: e.number).merging(["subject": .text(e.subject)]) { $1 })
            ]
        case TicketAssigned.type:
            let e = try envelope.decode(TicketAssigned.self)
            guard let assignee = e.assigneeId else { return [] }
            return [.init(kind: "ticket.assigned.operator", recipient: .user(assignee), data: ticket(e.ticketId, number: e.number, staff: true))]
        case TicketMessageAdded.type:
            let e = try envelope.decode(TicketMessageAdded.self)
            guard !e.isInternal else { return [] }
            switch e.author {
            case .operator: return [.init(kind: "ticket.reply", recipient: .customer(e.customerId), data: ticket(e.ticketId, number: e.number))]
            case .customer:
                guard let assignee = e.assigneeId else { return [] }
                return [.init(kind: "ticket.reply.operator", recipient: .user(assignee), data: ticket(e.ticketId, number: e.number, staff: true))]
            case .system: return []
            }
        case TicketStatusChanged.type:
            let e = try envelope.decode(TicketStatusChanged.self)
            var data = ticket(e.ticketId, number: e.number)
            switch e.to {
            case .waitingForCustomer: return [.init(kind: "ticket.waiting", recipient: .customer(e.customerId), data: data)]
            case .resolved:
                if let url = e.ratingURL { data["rating_url"] = .text(url) }
                return [.init(kind: "ticket.resolved", recipient: .customer(e.customerId), data: data)]
            default: return []
            }
        case PasswordResetRequested.type:
            let e = try envelope.decode(PasswordResetRequested.self)
            return [
                .init(
                    kind: "auth.password_reset", recipient: .user(e.userId),
                    data: ["token": .text(e.token), "expires_at": .instant(e.expiresAt), "link": .text("/reset-password?token=\(e.token)")],
                    email: e.email)
            ]
        case RefreshTokenReuseDetected.type:
            let e = try envelope.decode(RefreshTokenReuseDetected.self)
            return [
                .init(kind: "auth.refresh_reuse", recipient: .user(e.userId), data: ["ip": .text(e.ipAddress), "link": .text("/profile/sessions")])
            ]
        case NewDeviceSignIn.type:
            let e = try envelope.decode(NewDeviceSignIn.self)
            return [
                .init(
                    kind: "auth.new_device", recipient: .user(e.userId),
                    data: [
                        "device": .text(String(e.device.prefix(100))), "ip": .text(e.ipAddress), "at": .instant(e.at),
                        "link": .text("/profile/sessions"),
                    ])
            ]
        default:
            return []
        }
    }

    private static func ticket(_ id: String, number: Int, staff: Bool = false) -> [String: TemplateValue] {
        ["number": .number(number), "link": .text(staff ? "/admin/support/tickets/\(id)" : "/support/tickets/\(id)")]
    }
}
