import Contracts

/// How one kind of notification travels: its category, whether it is critical, the channels it may use in order of
/// preference, and whether it keeps a copy in the inbox.
struct NotificationRule: Sendable {
    /// The category preferences are kept by.
    var category: NotificationCategory
    /// Sent whatever the preferences and the quiet hours say.
    var critical: Bool
    /// The channels it may use (besides the inbox).
    var channels: [NotificationChannel]
    /// Text messages only when the person has no device for pushes (seed flow 3: push, else SMS).
    var smsOnlyWithoutPush = false
    /// Whether the inbox keeps a copy (not for a password-reset link).
    var inbox = true
    /// Whether its text carries a secret (a reset link): wiped from the stored notification and delivery once sent.
    var secret = false

    /// The rules by kind. A kind is an event type, with a suffix when the same event tells different people
    /// different things (`ticket.message_added.operator`).
    static let all: [String: NotificationRule] = [
        "invoice.created": .init(category: .billing, critical: false, channels: [.email, .sms, .push, .webPush]),
        "invoice.overdue": .init(category: .billing, critical: false, channels: [.email, .sms, .push, .webPush]),
        "autopay.scheduled": .init(category: .billing, critical: false, channels: [.push, .webPush, .email]),
        "autopay.failed": .init(category: .billing, critical: false, channels: [.push, .webPush, .email, .sms]),
        "payment.succeeded": .init(category: .payments, critical: false, channels: [.push, .webPush, .sms], smsOnlyWithoutPush: true),
        "payment.failed": .init(category: .payments, critical: false, channels: [.push, .webPush, .sms], smsOnlyWithoutPush: true),
        "payment.refunded": .init(category: .payments, critical: false, channels: [.push, .webPush, .email]),
        "subscription.suspended": .init(category: .service, critical: true, channels: [.sms, .push, .webPush, .email]),
        "subscription.resumed": .init(category: .service, critical: false, channels: [.push, .webPush, .sms, .email]),
        "promised_payment.taken": .init(category: .service, critical: false, channels: [.push, .webPush, .email]),
        "promised_payment.expired": .init(category: .service, critical: false, channels: [.push, .webPush, .sms, .email]),
        "ticket.created": .init(category: .support, critical: false, channels: [.email]),
        "ticket.reply": .init(category: .support, critical: false, channels: [.email, .push, .webPush]),
        "ticket.waiting": .init(category: .support, critical: false, channels: [.email, .push, .webPush]),
        "ticket.resolved": .init(category: .support, critical: false, channels: [.email, .push, .webPush]),
        "ticket.assigned.operator": .init(category: .support, critical: false, channels: [.email, .push, .webPush]),
        "ticket.reply.operator": .init(category: .support, critical: false, channels: [.email, .push, .webPush]),
        "auth.password_reset": .init(category: .security, critical: true, channels: [.email], inbox: false, secret: true),
        "auth.refresh_reuse": .init(category: .security, critical: true, channels: [.email, .push, .webPush]),
        "auth.new_device": .init(category: .security, critical: true, channels: [.email, .push, .webPush]),
    ]
}
