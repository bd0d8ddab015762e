import Contracts
import Foundation
import Kernel
import Messaging
import ServiceKit
import Storage

extension SupportService {
    // MARK: Operators

    /// Every operator of the desk with their load.
    public func agents() async throws -> [SupportAgent] {
        let loads = try await AgentStore.loads(in: database)
        return try await AgentStore.all(in: database).map { $0.agent(openTickets: loads[$0.userID] ?? 0) }
    }

    /// Creates or changes an operator's profile; a new operator starts offline.
    public func setAgent(userID: String, _ profile: AgentProfile) async throws -> SupportAgent {
        guard (1...64).contains(userID.count) else { throw SupportError.invalidField(field: "userId", reason: "1 to 64 characters") }
        let profile = try TicketRules.agentProfile(profile, defaultMaximum: settings.defaultMaximumOpenTickets)
        var hours: String?
        if let text = profile.workingHours?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard text.count <= 200, (try? WorkingHours(parsing: text)) != nil else {
                throw SupportError.invalidField(field: "workingHours", reason: "a shift such as mon-fri 09:00-18:00; sat 10:00-16:00, or 24/7")
            }
            hours = text
        }
        let now = clock.now()
        let agent = try await database.transaction { [hours] tx in
            let existing = try await AgentStore.find(userID: userID, in: tx)
            let record = AgentRecord(
                userID: userID, name: profile.name, skills: profile.skills, languages: profile.languages, state: existing?.state ?? .offline,
                maximumOpen: profile.maximumOpenTickets ?? settings.defaultMaximumOpenTickets, isSupervisor: profile.isSupervisor,
                workingHours: hours, assignedTurn: existing?.assignedTurn ?? 0)
            try await AgentStore.upsert(record, at: now, in: tx)
            return record.agent(openTickets: try await AgentStore.load(of: userID, in: tx))
        }
        assignmentSignal.wake()
        return agent
    }

    /// Sets an operator's presence. Going offline hands back every ticket they have not answered yet, each with
    /// `ticket.assigned` to nobody, and wakes the assigner.
    public func setAgentState(userID: String, _ state: AgentState) async throws -> SupportAgent {
        let now = clock.now()
        let agent = try await database.transaction { tx in
            guard var record = try await AgentStore.find(userID: userID, in: tx) else { throw SupportError.agentNotFound }
            record.state = state
            try await AgentStore.upsert(record, at: now, in: tx)
            if state == .offline {
                for ticket in try await Self.unanswered(of: userID, in: tx) {
                    var ticket = ticket
                    ticket.assigneeID = nil
                    ticket.updatedAt = now
                    try await TicketStore.update(ticket, in: tx)
                    try await Outbox.append(
                        TicketAssigned(
                            ticketId: ticket.id, number: ticket.number, customerId: ticket.customerID, assigneeId: nil, assigneeName: nil,
                            previousAssigneeId: userID, priority: ticket.priority, category: ticket.category), at: now, in: tx)
                }
            }
            return record.agent(openTickets: try await AgentStore.load(of: userID, in: tx))
        }
        assignmentSignal.wake()
        return agent
    }

    private static func unanswered(of userID: String, in tx: any SQLExecutor) async throws -> [TicketRecord] {
        let lock = tx.dialect == .postgres ? " FOR UPDATE" : ""
        return try await tx.query(
            """
            SELECT \(TicketRecord.columns) FROM support_tickets
            WHERE assignee_id = $1 AND first_responded_at IS NULL AND status IN ('new', 'open') ORDER BY created_at\(lock)
            """, userID
        ).map(TicketRecord.read)
    }

    // MARK: Priority rules

    /// The rules in force.
    public func priorityRules() async throws -> [PriorityRule] {
        try await RulesStore.rules(in: database) ?? PriorityRule.defaults
    }

    /// Replaces the rules after checking every one.
    public func setPriorityRules(_ rules: [PriorityRule]) async throws -> [PriorityRule] {
        try PriorityRule.validate(rules)
        let now = clock.now()
        try await database.transaction { tx in try await RulesStore.save(rules, at: now, in: tx) }
        deskCache.invalidate()
        return rules
    }

    // MARK: Assignment

    /// One assignment pass: under the desk's assignment lock, the waiting tickets (highest priority first, then
    /// oldest) go to the least-loaded online operators who can take them, each with `ticket.assigned`. Returns
    /// how many were assigned; the assigner repeats while a pass assigns a full batch.
    @discardableResult
    public func assignWaiting(batch: Int = 200) async throws -> Int {
        let now = clock.now()
        return try await database.transaction { tx in
            if tx.dialect == .postgres {
                // One pass at a time across every replica, so two passes never count the same loads.
                try await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('lastmile.support.assign', 0))", [])
            }
            // Online and inside their shift: an operator's hours count in the desk's zone, its holidays off.
            let agents = try await AgentStore.all(in: tx, onlineOnly: true).filter { agent in
                guard let hours = agent.shift else { return true }
                return WorkingCalendar(timeZone: settings.timeZone, hours: hours, production: settings.productionCalendar).isWorking(at: now)
            }
            guard !agents.isEmpty else { return 0 }
            // Only what someone online could take, so tickets nobody can take never crowd out those behind them.
            let categories = Set(agents.flatMap(\.skills)).map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
            let languages = Set(agents.flatMap(\.languages)).filter { $0 == "ru" || $0 == "en" }.map { "'\($0)'" }.sorted()
            let locales = languages.isEmpty ? "" : " AND locale IN (\(languages.joined(separator: ", ")))"
            let rows = try await tx.query(
                """
                SELECT id, number, customer_id, category, priority, locale FROM support_tickets
                WHERE assignee_id IS NULL AND status IN ('new', 'open') AND category IN (\(categories))\(locales)
                ORDER BY priority_rank DESC, created_at, id LIMIT \(batch)
                """, [])
            var tickets: [String: (number: Int, customer: String, category: TicketCategory, priority: TicketPriority)] = [:]
            let waiting = try rows.compactMap { row -> AssignmentPlan.Waiting? in
                guard let category = TicketCategory(rawValue: try row.string("category")),
                    let priority = TicketPriority(rawValue: try row.string("priority"))
                else { return nil }
                let id = try row.string("id")
                tickets[id] = (try row.int("number"), try row.string("customer_id"), category, priority)
                return AssignmentPlan.Waiting(ticketID: id, category: category, locale: try row.string("locale"))
            }
            guard !waiting.isEmpty else { return 0 }
            var plan = AssignmentPlan(agents: agents, loads: try await AgentStore.loads(in: tx))
            plan.assign(waiting)
            let names = Dictionary(uniqueKeysWithValues: agents.map { ($0.userID, $0.name) })
            let given = try await TicketStore.assign(plan.assignments.map { ($0.ticketID, $0.operatorID) }, at: now, in: tx)
            let events = plan.assignments.compactMap { assignment -> TicketAssigned? in
                guard given.contains(assignment.ticketID), let ticket = tickets[assignment.ticketID] else { return nil }
                return TicketAssigned(
                    ticketId: assignment.ticketID, number: ticket.number, customerId: ticket.customer, assigneeId: assignment.operatorID,
                    assigneeName: names[assignment.operatorID], previousAssigneeId: nil, priority: ticket.priority, category: ticket.category)
            }
            try await Outbox.append(contentsOf: events, at: now, in: tx)
            for (userID, turn) in plan.turns { try await AgentStore.setTurn(userID: userID, turn: turn, in: tx) }
            return given.count
        }
    }
}
