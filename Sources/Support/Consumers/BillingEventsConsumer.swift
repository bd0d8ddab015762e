import Contracts
import Foundation
import Kernel
import Messaging
import Storage

extension SupportService {
    /// Updates tickets from billing's events (seed flow 3, "Обновление тикета"): a lifted suspension answers the
    /// customer's open connection and billing tickets and waits for their confirmation; a paid invoice or a payment
    /// that went through leaves a note on the tickets about it. Runs once per event through the inbox, in its
    /// transaction.
    public func billingEventsConsumer() -> EventConsumer {
        let (clock, ticketClock) = (clock, ticketClock)
        return EventConsumer(
            name: "support.billing-updates", types: [SubscriptionResumed.type, InvoicePaid.type, PaymentSucceeded.type]
        ) { envelope, tx in
            let now = clock.now()
            switch envelope.type {
            case SubscriptionResumed.type:
                let event = try envelope.decode(SubscriptionResumed.self)
                for ticket in try await TicketStore.active(customerID: event.customerId, categories: [.noConnection, .billing], in: tx) {
                    try await Self.systemMessage(
                        clock: ticketClock,
                        SupportTexts.serviceResumed(locale: ticket.locale), isInternal: false, on: ticket, moveTo: .waitingForCustomer, at: now,
                        in: tx)
                }
            case InvoicePaid.type:
                let event = try envelope.decode(InvoicePaid.self)
                for ticket in try await TicketStore.about(TicketSubject(kind: .invoice, id: event.invoiceId), in: tx) {
                    try await Self.systemMessage(
                        clock: ticketClock,
                        SupportTexts.invoicePaid(locale: ticket.locale), isInternal: true, on: ticket, moveTo: nil, at: now, in: tx)
                }
            case PaymentSucceeded.type:
                let event = try envelope.decode(PaymentSucceeded.self)
                for ticket in try await TicketStore.about(TicketSubject(kind: .payment, id: event.paymentId), in: tx) {
                    try await Self.systemMessage(
                        clock: ticketClock,
                        SupportTexts.paymentSucceeded(locale: ticket.locale), isInternal: true, on: ticket, moveTo: nil, at: now, in: tx)
                }
            default:
                break
            }
        }
    }

    /// Keeps the known outages from monitoring's `incident.opened` and `incident.resolved`.
    public func incidentsConsumer() -> EventConsumer {
        EventConsumer(name: "support.incidents", types: [IncidentOpened.type, IncidentResolved.type]) { envelope, tx in
            if envelope.type == IncidentOpened.type {
                try await RulesStore.openIncident(try envelope.decode(IncidentOpened.self), at: envelope.occurredAt, in: tx)
            } else {
                try await RulesStore.resolveIncident(try envelope.decode(IncidentResolved.self).incidentId, in: tx)
            }
        }
    }

    /// Writes a message from LastMile itself into `ticket`, optionally moving it, with its events.
    static func systemMessage(
        clock: TicketClock, _ text: String, isInternal: Bool, on ticket: TicketRecord, moveTo status: TicketStatus?, at now: Date,
        in tx: any SQLExecutor
    ) async throws {
        var record = ticket
        let message = TicketMessage(
            id: Identifier<TicketMessage>.generate().rawValue, author: .system,
            from: TicketParticipant(id: nil, name: SupportTexts.systemName(locale: record.locale)), isInternal: isInternal, text: text,
            createdAt: now)
        let from = record.status
        if let status, TicketWorkflow.allows(from, status) { TicketWorkflow.move(&record, to: status, at: now) }
        record.updatedAt = now
        record.clockChanged(clock, at: now)
        try await TicketStore.insertMessage(message, ticketID: record.id, in: tx)
        try await TicketStore.update(record, in: tx)
        try await publishMessage(message, of: record, at: now, in: tx)
        if from != record.status { try await publishStatus(of: record, from: from, by: nil, at: now, in: tx) }
    }
}
