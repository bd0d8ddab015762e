import Contracts
import Foundation
import Kernel
import Logging
import Messaging
import ServiceLifecycle
import Storage

extension SupportService {
    /// Closes tickets resolved at least ``SupportSettings/autoCloseDays`` days ago, each with a system message and
    /// `ticket.status_changed`; returns how many.
    @discardableResult
    public func closeResolved(batch: Int = 500) async throws -> Int {
        let now = clock.now()
        let cutoff = now.addingTimeInterval(-Double(settings.autoCloseDays) * 86_400)
        let days = settings.autoCloseDays
        return try await database.transaction { tx in
            let lock = tx.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let records = try await tx.query(
                "SELECT \(TicketRecord.columns) FROM support_tickets WHERE status = 'resolved' AND resolved_at <= $1 LIMIT \(batch)\(lock)", cutoff
            ).map(TicketRecord.read)
            for var record in records {
                let message = TicketMessage(
                    id: Identifier<TicketMessage>.generate().rawValue, author: .system,
                    from: TicketParticipant(id: nil, name: SupportTexts.systemName(locale: record.locale)), isInternal: false,
                    text: SupportTexts.closedAutomatically(locale: record.locale, days: days), createdAt: now)
                TicketWorkflow.move(&record, to: .closed, at: now)
                record.clockChanged(ticketClock, at: now)
                try await TicketStore.insertMessage(message, ticketID: record.id, in: tx)
                try await TicketStore.update(record, in: tx)
                try await Self.publishMessage(message, of: record, at: now, in: tx)
                try await Self.publishStatus(of: record, from: .resolved, by: nil, at: now, in: tx)
            }
            return records.count
        }
    }
}

/// Runs ``SupportService/closeResolved(batch:)`` every few minutes until shutdown; safe in several processes (rows
/// are taken with `SKIP LOCKED`).
public struct AutoCloseJob: Service {
    private let support: SupportService

    /// Creates the job of a support service.
    public init(support: SupportService) { self.support = support }

    /// Closes, then waits, until the service group shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    while try await support.closeResolved() > 0, !Task.isCancelled {}
                } catch {
                    support.logger.error("closing resolved tickets failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(300))
            }
        }
    }
}
