import Contracts
import Foundation
import Kernel
import Messaging
import Storage

extension SupportService {
    /// The most tickets one bulk change takes.
    public static let maximumBulk = 100

    /// Moves each ticket on its own (one transaction each, so one refusal stops no other), reporting every outcome.
    public func changeStatus(ticketIDs: [String], to status: TicketStatus, operatorID: String) async throws -> [BulkOutcome] {
        guard (1...Self.maximumBulk).contains(ticketIDs.count) else {
            throw SupportError.invalidField(field: "ticketIds", reason: "1 to \(Self.maximumBulk) tickets")
        }
        guard Set(ticketIDs).count == ticketIDs.count else { throw SupportError.invalidField(field: "ticketIds", reason: "repeats a ticket") }
        var outcomes: [BulkOutcome] = []
        for id in ticketIDs {
            do {
                let ticket = try await changeStatus(ticketID: id, to: status, operatorID: operatorID)
                outcomes.append(BulkOutcome(ticketId: id, status: ticket.summary.status, refused: nil))
            } catch SupportError.notFound {
                outcomes.append(BulkOutcome(ticketId: id, status: nil, refused: "not-found"))
            } catch SupportError.invalidTransition {
                outcomes.append(BulkOutcome(ticketId: id, status: nil, refused: "invalid-transition"))
            }
        }
        return outcomes
    }

    /// Merges a duplicate into another active ticket of the same customer: its messages, attachments and search
    /// words move over after the target's own, a note on each says what happened, and the duplicate closes pointing
    /// at the target, with `ticket.status_changed`.
    public func merge(ticketID: String, into targetID: String, operatorID: String) async throws -> Ticket {
        guard ticketID != targetID else { throw SupportError.invalidField(field: "into", reason: "is the same ticket") }
        let now = clock.now()
        let target = try await database.transaction { [ticketClock] tx in
            // Locked in a fixed order, so two merges of the same pair cannot deadlock.
            var locked: [String: TicketRecord] = [:]
            for id in [ticketID, targetID].sorted() {
                guard let record = try await TicketStore.find(id: id, forUpdate: true, in: tx) else { throw SupportError.notFound }
                locked[id] = record
            }
            var duplicate = locked[ticketID]!
            var target = locked[targetID]!
            guard duplicate.customerID == target.customerID else {
                throw SupportError.invalidField(field: "into", reason: "is another customer's ticket")
            }
            guard duplicate.status != .closed else { throw SupportError.invalidTransition(from: .closed, to: .closed) }
            guard target.status.isActive else { throw SupportError.invalidField(field: "into", reason: "is not an active ticket") }
            let offset = try await tx.query("SELECT COALESCE(MAX(seq), 0) AS n FROM support_messages WHERE ticket_id = $1", targetID)[0].int("n")
            try await tx.query("UPDATE support_messages SET ticket_id = $2, seq = seq + $3 WHERE ticket_id = $1", ticketID, targetID, offset)
            try await tx.query("UPDATE support_attachments SET ticket_id = $2 WHERE ticket_id = $1", ticketID, targetID)
            if tx.dialect == .postgres {
                try await tx.query(
                    "UPDATE support_tickets SET search = search || (SELECT search FROM support_tickets WHERE id = $1) WHERE id = $2", ticketID,
                    targetID)
                try await tx.query("UPDATE support_tickets SET search = ''::tsvector WHERE id = $1", ticketID)
            } else {
                try await tx.query("UPDATE support_search SET ticket_id = $2 WHERE ticket_id = $1", ticketID, targetID)
            }
            let from = duplicate.status
            TicketWorkflow.move(&duplicate, to: .closed, at: now)
            duplicate.mergedInto = targetID
            duplicate.clockChanged(ticketClock, at: now)
            try await TicketStore.update(duplicate, in: tx)
            try await tx.query("UPDATE support_tickets SET merged_into = $2 WHERE id = $1", ticketID, targetID)
            let system = TicketParticipant(id: nil, name: SupportTexts.systemName(locale: target.locale))
            for (ticket, text) in [
                (duplicate, SupportTexts.mergedInto(number: target.number, locale: duplicate.locale)),
                (target, SupportTexts.merged(number: duplicate.number, locale: target.locale)),
            ] {
                let note = TicketMessage(
                    id: Identifier<TicketMessage>.generate().rawValue, author: .system, from: system, isInternal: false, text: text, createdAt: now)
                try await TicketStore.insertMessage(note, ticketID: ticket.id, in: tx)
                try await Self.publishMessage(note, of: ticket, at: now, in: tx)
            }
            try await Self.publishStatus(of: duplicate, from: from, by: operatorID, at: now, in: tx)
            target.updatedAt = now
            try await TicketStore.update(target, in: tx)
            return target
        }
        return try await view(target, viewer: .staff(operatorID), in: database)
    }
}
