import Contracts

/// Who takes which waiting tickets: the least-loaded online operator with the ticket's category and language, ties
/// broken by whose turn it is (round-robin), up to each operator's maximum.
///
/// Pure: the caller reads the waiting tickets (highest priority first, then oldest), the online operators and their
/// loads under the assignment lock, and writes the plan back in the same transaction.
struct AssignmentPlan: Sendable {
    /// A ticket waiting for an operator.
    struct Waiting: Sendable {
        var ticketID: String
        var category: TicketCategory
        var locale: String
    }

    /// One decision.
    struct Assignment: Sendable, Equatable {
        var ticketID: String
        var operatorID: String
        var turn: Int64
    }

    private(set) var assignments: [Assignment] = []
    private var agents: [AgentRecord]
    private var loads: [String: Int]
    private var turn: Int64

    /// Plans over `agents` (online ones) with their `loads`.
    init(agents: [AgentRecord], loads: [String: Int]) {
        self.agents = agents
        self.loads = loads
        turn = agents.map(\.assignedTurn).max() ?? 0
    }

    /// Assigns each of `waiting`, in order, when someone can take it; a ticket nobody can take stays waiting and
    /// does not hold back the ones after it.
    mutating func assign(_ waiting: [Waiting]) {
        for ticket in waiting {
            guard let index = pick(for: ticket) else { continue }
            turn += 1
            agents[index].assignedTurn = turn
            loads[agents[index].userID, default: 0] += 1
            assignments.append(Assignment(ticketID: ticket.ticketID, operatorID: agents[index].userID, turn: turn))
        }
    }

    /// The turn each operator who got a ticket ends on.
    var turns: [String: Int64] {
        var turns: [String: Int64] = [:]
        for assignment in assignments { turns[assignment.operatorID] = assignment.turn }
        return turns
    }

    private func pick(for ticket: Waiting) -> Int? {
        var best: Int?
        for (index, agent) in agents.enumerated() where agent.state == .online && agent.skills.contains(ticket.category) {
            guard agent.languages.contains(ticket.locale) || agent.languages.isEmpty else { continue }
            let load = loads[agent.userID, default: 0]
            guard load < agent.maximumOpen else { continue }
            if let current = best {
                let currentLoad = loads[agents[current].userID, default: 0]
                if load < currentLoad || (load == currentLoad && agent.assignedTurn < agents[current].assignedTurn) { best = index }
            } else {
                best = index
            }
        }
        return best
    }
}
