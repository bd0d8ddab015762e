import Contracts
import Foundation
import Kernel
import Messaging
import ServiceKit
import Storage

extension NotificationsService {
    /// Turns billing's, support's and auth's events into notifications (seed: payment.created → push/SMS,
    /// invoice.created → e-mail/SMS, ticket.created → the customer). Runs once per event through the inbox, in its
    /// transaction, and only records what is to be told to whom: finding the person and sending happen later, outside
    /// any transaction. An event delivered twice makes no second notification.
    public func eventsConsumer() -> EventConsumer {
        let wake = wake
        return EventConsumer(name: "notifications.events", types: EventCatalog.types) { envelope, tx in
            let drafts = try EventCatalog.drafts(for: envelope)
            for draft in drafts {
                let rule = draft.rule
                try await NotificationStore.insert(
                    NotificationRecord(
                        id: Identifier<InboxItem>.generate().rawValue, eventID: envelope.id, kind: draft.kind, category: rule.category,
                        critical: rule.critical, recipient: draft.recipient, data: draft.data, email: draft.email, createdAt: envelope.occurredAt),
                    in: tx)
            }
            if !drafts.isEmpty { wake.wake() }
        }
    }
}
