import Contracts
import Foundation
import Kernel
import Messaging
import Storage

/// Turns other services' events into timeline entries: payments, invoices, subscriptions, promised payments,
/// tickets and notifications.
///
/// Each entry takes the event's id, and the inbox runs the handler once per event, so a redelivered event adds
/// nothing.
public enum TimelineConsumer {
    /// The consumer's name: its inbox key and, on RabbitMQ, its queue.
    public static let name = "customers.timeline"

    /// The event types it turns into entries.
    public static var eventTypes: Set<String> { TimelineSummary.eventTypes }

    /// The consumer; `timeZone` is the one days in summaries are shown in.
    public static func make(timeZone: TimeZone = .moscow) -> EventConsumer {
        EventConsumer(name: name, types: eventTypes) { event, transaction in
            try await handle(event, timeZone: timeZone, in: transaction)
        }
    }

    static func handle(_ event: EventEnvelope, timeZone: TimeZone, in transaction: any SQLExecutor) async throws {
        guard let summary = try TimelineSummary.of(event, timeZone: timeZone) else { return }
        var customerID = summary.customerID
        if customerID == nil, let userID = summary.userID {
            customerID = try await CustomerStore.find(userID: userID, in: transaction)?.id
        }
        // An event about a user account without a customer (an operator's notification) has no timeline.
        guard let customerID else { return }
        try await TimelineStore.insert(
            TimelineEntry(
                id: event.id, customerId: customerID, kind: summary.kind, source: event.type, summary: summary.text, authorId: nil,
                occurredAt: event.occurredAt),
            in: transaction)
    }
}
