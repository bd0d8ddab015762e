import Contracts
import Foundation

/// The ticket's workflow: which moves are allowed, and what a move does to the SLA clock's columns.
enum TicketWorkflow {
    /// Whether a ticket in `from` may move to `to`. A closed ticket stays closed.
    static func allows(_ from: TicketStatus, _ to: TicketStatus) -> Bool {
        switch (from, to) {
        case (.closed, _), (_, .new): false
        case let (a, b) where a == b: false
        default: true
        }
    }

    /// Moves `ticket` to `status` at `now`: waiting starts or ends a pause, resolving stamps the time, and a reopen
    /// counts the time it stood resolved as a pause, so the clock carries on from where it stood; closing stamps its
    /// own time.
    static func move(_ ticket: inout TicketRecord, to status: TicketStatus, at now: Date) {
        if ticket.status == .waitingForCustomer, let since = ticket.waitingSince {
            ticket.paused.append(PausePeriod(from: since, to: now))
            ticket.waitingSince = nil
        }
        if ticket.status == .resolved, status.isActive, let resolvedAt = ticket.resolvedAt {
            ticket.paused.append(PausePeriod(from: resolvedAt, to: now))
        }
        switch status {
        case .waitingForCustomer:
            ticket.waitingSince = now
            ticket.resolvedAt = nil
        case .resolved: ticket.resolvedAt = now
        case .closed: ticket.closedAt = now
        case .open, .new: ticket.resolvedAt = nil
        }
        ticket.status = status
        ticket.updatedAt = now
    }
}

/// What LastMile itself writes into conversations, in the ticket's language.
enum SupportTexts {
    /// A suspension was lifted by a payment while the ticket was open.
    static func serviceResumed(locale: String) -> String {
        locale == "en"
            ? "Payment received, your service has been resumed. Please check that the connection works and reply here if it does not."
            : "Платёж получен, услуга возобновлена. Проверьте, пожалуйста, работает ли интернет, и ответьте здесь, если нет."
    }

    /// An invoice the ticket is about was paid (an internal note for operators).
    static func invoicePaid(locale: String) -> String {
        locale == "en" ? "The invoice this ticket is about has been paid in full." : "Счёт, о котором это обращение, оплачен полностью."
    }

    /// A payment the ticket is about went through (an internal note for operators).
    static func paymentSucceeded(locale: String) -> String {
        locale == "en" ? "The payment this ticket is about went through." : "Платёж, о котором это обращение, прошёл."
    }

    /// Closed some days after resolution.
    static func closedAutomatically(locale: String, days: Int) -> String {
        locale == "en"
            ? "The ticket was closed \(days) days after it was resolved. Write a new one if you need help."
            : "Обращение закрыто через \(days) дн. после решения. Если нужна помощь, создайте новое."
    }

    /// On a duplicate: where its conversation went.
    static func mergedInto(number: Int, locale: String) -> String {
        locale == "en"
            ? "Merged into ticket № \(number), where the conversation continues." : "Объединено с обращением № \(number), переписка продолжается там."
    }

    /// On the ticket a duplicate went into.
    static func merged(number: Int, locale: String) -> String {
        locale == "en" ? "Ticket № \(number) was merged into this one." : "К этому обращению присоединено обращение № \(number)."
    }

    /// The name system messages are signed with.
    static func systemName(locale: String) -> String { "LastMile" }

    /// The name of an operator who is not on the desk's list (an administrator).
    static func staffName(locale: String) -> String { locale == "en" ? "Support" : "Поддержка" }
}
