import Contracts
import Foundation
import Kernel

/// What an event means on a customer's timeline: whose it is, what kind, and one line in Russian for operators.
struct TimelineSummary: Sendable, Hashable {
    /// The customer, when the event names one.
    var customerID: String?
    /// The user account, for events that name only that (notifications).
    var userID: String?
    var kind: TimelineEntry.Kind
    var text: String

    /// Event types that make timeline entries.
    static let eventTypes: Set<String> = [
        PaymentCreated.type, PaymentSucceeded.type, PaymentFailed.type, PaymentRefunded.type,
        InvoiceCreated.type, InvoicePaid.type, InvoiceOverdue.type,
        SubscriptionSuspended.type, SubscriptionResumed.type, TariffChanged.type, SubscriptionPaused.type,
        PromisedPaymentTaken.type, PromisedPaymentExpired.type,
        TicketCreated.type, TicketAssigned.type, TicketStatusChanged.type, TicketSLABreached.type, "notification.sent",
    ]

    /// The summary of `event`; `nil` for a type that makes no entry.
    static func of(_ event: EventEnvelope, timeZone: TimeZone) throws -> TimelineSummary? {
        switch event.type {
        case PaymentCreated.type:
            let payment = try event.decode(PaymentCreated.self)
            return .init(payment.customerId, .payment, "Создан платёж \(rub(payment.amount)) (\(method(payment.method)))")
        case PaymentSucceeded.type:
            let payment = try event.decode(PaymentSucceeded.self)
            return .init(payment.customerId, .payment, "Платёж \(rub(payment.amount)) зачислен (\(method(payment.method)))")
        case PaymentFailed.type:
            let payment = try event.decode(PaymentFailed.self)
            return .init(payment.customerId, .payment, "Платёж \(rub(payment.amount)) не прошёл: \(payment.reason)")
        case PaymentRefunded.type:
            let refund = try event.decode(PaymentRefunded.self)
            return .init(refund.customerId, .payment, "Возврат \(rub(refund.amount)) (всего возвращено \(rub(refund.refundedTotal)))")
        case InvoiceCreated.type:
            let invoice = try event.decode(InvoiceCreated.self)
            return .init(
                invoice.customerId, .invoice,
                "Выставлен счёт № \(invoice.number) за \(period(invoice.period)) на \(rub(invoice.total)), оплатить до \(day(invoice.dueOn))")
        case InvoicePaid.type:
            let invoice = try event.decode(InvoicePaid.self)
            return .init(invoice.customerId, .invoice, "Счёт на \(rub(invoice.total)) оплачен")
        case InvoiceOverdue.type:
            let invoice = try event.decode(InvoiceOverdue.self)
            return .init(invoice.customerId, .invoice, "Счёт просрочен: не оплачено \(rub(invoice.amountDue)), срок был \(day(invoice.dueOn))")
        case SubscriptionSuspended.type:
            let change = try event.decode(SubscriptionSuspended.self)
            return .init(change.customerId, .subscription, "Услуга приостановлена за долг, баланс \(rub(change.balance))")
        case SubscriptionResumed.type:
            return .init(try event.decode(SubscriptionResumed.self).customerId, .subscription, "Услуга возобновлена")
        case TariffChanged.type:
            let change = try event.decode(TariffChanged.self)
            return .init(change.customerId, .subscription, "Тариф сменён с \(day(change.effectiveOn))")
        case SubscriptionPaused.type:
            let pause = try event.decode(SubscriptionPaused.self)
            return .init(pause.customerId, .subscription, "Услуга на паузе с \(day(pause.startsOn)) по \(day(pause.endsOn))")
        case PromisedPaymentTaken.type:
            let promise = try event.decode(PromisedPaymentTaken.self)
            let until = day(LocalDate(containing: promise.expiresAt, in: timeZone))
            return .init(promise.customerId, .payment, "Взят обещанный платёж \(rub(promise.amount)) до \(until)")
        case PromisedPaymentExpired.type:
            let promise = try event.decode(PromisedPaymentExpired.self)
            return .init(promise.customerId, .payment, "Обещанный платёж \(rub(promise.amount)) закончился")
        case TicketCreated.type:
            let ticket = try event.decode(TicketCreated.self)
            return .init(
                ticket.customerId, .ticket,
                "Создано обращение № \(ticket.number): \(ticket.subject) (\(category(ticket.category)), приоритет \(priority(ticket.priority)))")
        case TicketAssigned.type:
            let ticket = try event.decode(TicketAssigned.self)
            let text =
                ticket.assigneeName.map { "Обращение № \(ticket.number) передано оператору \($0)" }
                ?? "Обращение № \(ticket.number) вернулось в очередь"
            return .init(ticket.customerId, .ticket, text)
        case TicketStatusChanged.type:
            let ticket = try event.decode(TicketStatusChanged.self)
            return .init(ticket.customerId, .ticket, "Обращение № \(ticket.number): \(ticketStatus(ticket.to))")
        case TicketSLABreached.type:
            let ticket = try event.decode(TicketSLABreached.self)
            return .init(ticket.customerId, .ticket, "Обращение № \(ticket.number): нарушен срок (\(slaTarget(ticket.target)))")
        case "notification.sent":
            return try loose(event)
        default:
            return nil
        }
    }

    private init(_ customerID: String, _ kind: TimelineEntry.Kind, _ text: String) {
        self.init(customerID: customerID, userID: nil, kind: kind, text: text)
    }

    init(customerID: String?, userID: String?, kind: TimelineEntry.Kind, text: String) {
        self.customerID = customerID
        self.userID = userID
        self.kind = kind
        self.text = text
    }

    /// Notification events, read by field name until the notifications service defines their payload type.
    private static func loose(_ event: EventEnvelope) throws -> TimelineSummary? {
        guard let object = try JSONSerialization.jsonObject(with: Data(event.payload.utf8)) as? [String: Any] else {
            throw CustomerError.invalidField(field: "payload", reason: "of \(event.type) is not a JSON object")
        }
        func field(_ name: String) -> String? {
            switch object[name] {
            case let text as String: text.isEmpty ? nil : text
            case let number as NSNumber: number.stringValue
            default: nil
            }
        }
        let customerID = field("customerId")
        let userID = field("userId")
        guard customerID != nil || userID != nil else { return nil }
        var text = "Отправлено уведомление"
        if let channel = field("channel") { text += " (\(self.channel(channel)))" }
        if let subject = field("subject") ?? field("title") ?? field("template") { text += ": \(subject)" }
        return TimelineSummary(customerID: customerID, userID: userID, kind: .notification, text: text)
    }

    static func rub(_ money: Money) -> String { money.formatted(locale: .ru) }

    static func day(_ day: LocalDate) -> String {
        ContractNumberPattern.pad(day.day, 2) + "." + ContractNumberPattern.pad(day.month, 2) + "." + ContractNumberPattern.pad(day.year, 4)
    }

    static func period(_ period: BillingPeriod) -> String {
        let months = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]
        return "\(months[period.month - 1]) \(period.year)"
    }

    static func method(_ method: PaymentMethod) -> String {
        switch method {
        case .balance: "с баланса"
        case .provider: "онлайн"
        case .cash: "наличными"
        case .bankTransfer: "банковским переводом"
        }
    }

    private static func ticketStatus(_ status: TicketStatus) -> String {
        switch status {
        case .new: "новое"
        case .open: "в работе"
        case .waitingForCustomer: "ждёт ответа клиента"
        case .resolved: "решено"
        case .closed: "закрыто"
        }
    }

    private static func category(_ category: TicketCategory) -> String {
        switch category {
        case .noConnection: "нет связи"
        case .slowSpeed: "низкая скорость"
        case .billing: "оплата и счета"
        case .equipment: "оборудование"
        case .connectionRequest: "подключение"
        case .other: "другое"
        }
    }

    private static func priority(_ priority: TicketPriority) -> String {
        switch priority {
        case .low: "низкий"
        case .normal: "обычный"
        case .high: "высокий"
        case .urgent: "срочный"
        }
    }

    private static func slaTarget(_ target: SLATargetKind) -> String {
        switch target {
        case .firstResponse: "первый ответ"
        case .nextResponse: "ответ клиенту"
        case .resolution: "решение"
        }
    }

    private static func channel(_ channel: String) -> String {
        let names = ["email": "e-mail", "sms": "SMS", "push": "push", "in_app": "в личном кабинете", "web": "в личном кабинете"]
        return names[channel] ?? channel
    }
}
