import Contracts
import Foundation

/// What the priority rules decided for a new ticket: its priority, its category after routing, and why.
struct PriorityDecision: Sendable, Equatable {
    var priority: TicketPriority
    var category: TicketCategory
    var reasons: [PriorityReason]

    /// What the rules look at besides the ticket itself.
    struct Facts: Sendable {
        /// Tickets the customer opened in each category within the longest `repeated` window, this one excluded.
        var recentTickets: @Sendable (_ category: TicketCategory, _ days: Int) -> Int
        /// The known outage covering the customer's address, if any (its title).
        var outage: String?
    }

    /// Applies `rules` in order: each `atLeast` lifts the priority, `routeTo` moves the category (later rules see
    /// the moved one), and the raises add up after every `atLeast`. Starts from `low`.
    static func decide(_ ticket: NewTicket, requester: TicketRequester, rules: [PriorityRule], facts: Facts) -> PriorityDecision {
        var decision = PriorityDecision(priority: .low, category: ticket.category, reasons: [])
        var raises: [(PriorityRule, String?)] = []
        let text = (ticket.subject + "\n" + ticket.text).lowercased()
        for rule in rules where rule.enabled {
            if let categories = rule.when.categories, !categories.contains(decision.category) { continue }
            guard let detail = match(rule.when, text: text, requester: requester, category: decision.category, facts: facts) else { continue }
            if let floor = rule.atLeast, floor > decision.priority { decision.priority = floor }
            if let target = rule.routeTo { decision.category = target }
            if rule.raiseBy != nil {
                raises.append((rule, detail))
                if rule.atLeast == nil && rule.routeTo == nil { continue }
            }
            decision.reasons.append(
                PriorityReason(rule: rule.id, kind: rule.when.kind, detail: detail, priority: decision.priority, routedTo: rule.routeTo))
        }
        for (rule, detail) in raises {
            let rank = min(decision.priority.rank + (rule.raiseBy ?? 0), TicketPriority.allCases.count - 1)
            decision.priority = TicketPriority.allCases[rank]
            decision.reasons.append(PriorityReason(rule: rule.id, kind: rule.when.kind, detail: detail, priority: decision.priority))
        }
        return decision
    }

    /// Whether `condition` holds, with what matched (an empty string when there is nothing to show); nil when not.
    private static func match(
        _ condition: PriorityCondition, text: String, requester: TicketRequester, category: TicketCategory, facts: Facts
    ) -> String? {
        switch condition.kind {
        case .category:
            return category.rawValue
        case .suspended:
            return requester.suspended == true ? "" : nil
        case .tariff:
            let words = (condition.words ?? []).map { $0.lowercased() }
            return requester.tariffs?.first { tariff in words.contains { tariff.lowercased().contains($0) } }
        case .keyword:
            return (condition.words ?? []).first { text.contains($0.lowercased()) }
        case .repeated:
            let days = condition.days ?? 7
            let count = facts.recentTickets(category, days) + 1
            return count >= (condition.count ?? 3) ? "\(count) in \(days) days" : nil
        case .outage:
            return facts.outage
        }
    }
}
