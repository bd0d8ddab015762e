import Contracts
import Foundation
import Storage

/// SQL for the operators' queues: keyset pages in one of two orders.
enum QueueStore {
    /// Where a queue page ended: the sort key of its last ticket.
    struct Position: Codable, Sendable, Hashable {
        /// The first sort key: the SLA due time in stored microseconds, or the priority rank.
        var k: Int64
        /// The second: created at in stored microseconds (priority order only).
        var c: Int64?
        /// The ticket id.
        var i: String
    }

    /// Tickets matching `filter` for `operatorID`: `mine` and `breaching` by SLA due time (soonest first), the others by
    /// priority and then age (oldest first); `breaching` holds the tickets whose warning window has begun by `now`.
    static func page(
        _ filter: TicketFilter, operatorID: String, now: Date, after position: Position?, limit: Int, in db: any SQLExecutor
    ) async throws -> (records: [TicketRecord], last: Position?) {
        var conditions: [String] = []
        var binds: [any SQLBindable] = []
        func bind(_ value: any SQLBindable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        let active = "status IN ('new', 'open', 'waiting_for_customer')"
        switch filter.queue {
        case .mine:
            conditions += ["assignee_id = \(bind(operatorID))", active]
        case .unassigned:
            conditions += ["assignee_id IS NULL", active]
        case .breaching:
            conditions += ["status IN ('new', 'open')", "sla_warn_at <= \(bind(now))"]
        case .active:
            conditions.append(active)
        case .all:
            break
        }
        if let category = filter.category { conditions.append("category = \(bind(category.rawValue))") }
        if let status = filter.status { conditions.append("status = \(bind(status.rawValue))") }
        if let customerID = filter.customerId { conditions.append("customer_id = \(bind(customerID))") }
        if let text = filter.text { conditions.append(TicketStore.searchCondition(text, dialect: db.dialect, bind: bind)) }
        let byDeadline = filter.queue == .mine || filter.queue == .breaching
        if byDeadline {
            conditions.append("sla_due_at IS NOT NULL")
            if let position {
                conditions.append("(sla_due_at, id) > (\(bind(position.k)), \(bind(position.i)))")
            }
        } else if let position {
            let rank = bind(position.k)
            let created = bind(position.c ?? 0)
            let id = bind(position.i)
            conditions.append("(priority_rank < \(rank) OR (priority_rank = \(rank) AND (created_at, id) > (\(created), \(id))))")
        }
        let order = byDeadline ? "sla_due_at, id" : "priority_rank DESC, created_at, id"
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try await db.query(
            PreparedSQL(
                "SELECT \(TicketRecord.columns), priority_rank FROM support_tickets \(whereClause) ORDER BY \(order) LIMIT \(limit + 1)"),
            binds.map { $0.sqlValue })
        var records = try rows.map(TicketRecord.read)
        guard records.count > limit else { return (records, nil) }
        records.removeLast()
        let last = records[records.count - 1]
        let next =
            byDeadline
            ? Position(k: (last.slaDueAt ?? .distantFuture).microsecondsSince1970, c: nil, i: last.id)
            : Position(k: Int64(last.priority.rank), c: last.createdAt.microsecondsSince1970, i: last.id)
        return (records, next)
    }
}
