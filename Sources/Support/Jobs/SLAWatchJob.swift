import Contracts
import Foundation
import Kernel
import Logging
import Messaging
import ServiceLifecycle
import Storage

extension SupportService {
    /// Publishes `ticket.sla_breached` for every SLA target of a running ticket that fell due by now, once per
    /// target and due time (a row in `support_sla_breaches` claims it, so several processes may watch), naming the
    /// desk's supervisors to escalate to. Returns how many breaches it published.
    @discardableResult
    public func publishBreaches(batch: Int = 500) async throws -> Int {
        let now = clock.now()
        return try await database.transaction { [ticketClock] tx in
            let candidates = try await tx.query(
                """
                SELECT \(TicketRecord.columns) FROM support_tickets
                WHERE status IN ('new', 'open') AND sla_due_at <= $1 ORDER BY sla_due_at LIMIT \(batch)
                """, now
            ).map(TicketRecord.read)
            guard !candidates.isEmpty else { return 0 }
            let supervisors = try await AgentStore.all(in: tx).filter(\.isSupervisor).map(\.userID)
            var published = 0
            for ticket in candidates {
                for breach in ticketClock.breaches(of: ticket, through: now) {
                    let claimed = try await tx.query(
                        """
                        INSERT INTO support_sla_breaches (ticket_id, target, due_at) VALUES ($1, $2, $3)
                        ON CONFLICT DO NOTHING RETURNING ticket_id
                        """, ticket.id, breach.target.rawValue, breach.at)
                    guard !claimed.isEmpty else { continue }
                    try await Outbox.append(
                        TicketSLABreached(
                            ticketId: ticket.id, number: ticket.number, customerId: ticket.customerID, target: breach.target, dueAt: breach.at,
                            priority: ticket.priority, category: ticket.category, assigneeId: ticket.assigneeID, supervisorIds: supervisors),
                        at: now, in: tx)
                    published += 1
                }
            }
            return published
        }
    }
}

/// Runs ``SupportService/publishBreaches(batch:)`` every 30 seconds until shutdown, often enough for the shortest
/// target (15 minutes) to be escalated within a minute of its breach.
public struct SLAWatchJob: Service {
    private let support: SupportService

    /// Creates the job of a support service.
    public init(support: SupportService) { self.support = support }

    /// Watches, then waits, until the service group shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let published = try await support.publishBreaches()
                    if published > 0 { support.logger.warning("SLA breaches escalated", metadata: ["count": "\(published)"]) }
                } catch {
                    support.logger.error("SLA watch failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(30))
            }
        }
    }
}
