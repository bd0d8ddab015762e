import Contracts
import Foundation

extension PriorityRule {
    /// The rules in force until an administrator sets others: the category's usual urgency, a suspended customer's
    /// connection trouble routed to billing, business tariffs, alarm words, repeated contacts and known outages.
    public static let defaults: [PriorityRule] = [
        PriorityRule(id: "no-connection", when: PriorityCondition(kind: .category, categories: [.noConnection]), atLeast: .high),
        PriorityRule(
            id: "everyday-trouble", when: PriorityCondition(kind: .category, categories: [.slowSpeed, .billing, .equipment]), atLeast: .normal),
        PriorityRule(
            id: "suspended-for-debt", when: PriorityCondition(kind: .suspended, categories: [.noConnection, .slowSpeed]), atLeast: .normal,
            routeTo: .billing),
        PriorityRule(
            id: "alarm-words",
            when: PriorityCondition(
                kind: .keyword,
                words: [
                    "авари", "пожар", "обрыв", "нет интернета", "не работает", "пропал", "outage", "not working", "no internet", "cable cut",
                ]),
            atLeast: .high),
        PriorityRule(
            id: "business-tariff", when: PriorityCondition(kind: .tariff, words: ["бизнес", "business", "корпоратив", "corporate"]), raiseBy: 1),
        PriorityRule(id: "repeated-contact", when: PriorityCondition(kind: .repeated, count: 3, days: 7), raiseBy: 1),
        PriorityRule(id: "known-outage", when: PriorityCondition(kind: .outage), atLeast: .high),
    ]

    /// The most rules a desk keeps.
    public static let maximumCount = 100

    /// Checks a rule set an administrator sends; throws naming the first bad field (`rules[2].when.words`).
    static func validate(_ rules: [PriorityRule]) throws(SupportError) {
        guard rules.count <= maximumCount else { throw .invalidField(field: "rules", reason: "at most \(maximumCount) rules") }
        var seen = Set<String>()
        for (index, rule) in rules.enumerated() {
            let at = "rules[\(index)]"
            let id = rule.id.trimmingCharacters(in: .whitespaces)
            guard (1...64).contains(id.count), id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw .invalidField(field: "\(at).id", reason: "1 to 64 letters, digits, '-' or '_'")
            }
            guard seen.insert(id).inserted else { throw .invalidField(field: "\(at).id", reason: "repeats another rule's id") }
            guard rule.atLeast != nil || rule.raiseBy != nil || rule.routeTo != nil else {
                throw .invalidField(field: "\(at)", reason: "has no effect: set atLeast, raiseBy or routeTo")
            }
            if let raise = rule.raiseBy, !(1...3).contains(raise) { throw .invalidField(field: "\(at).raiseBy", reason: "1 to 3") }
            let condition = rule.when
            if let categories = condition.categories, categories.count > TicketCategory.allCases.count {
                throw .invalidField(field: "\(at).when.categories", reason: "too many")
            }
            switch condition.kind {
            case .category:
                guard let categories = condition.categories, !categories.isEmpty else {
                    throw .invalidField(field: "\(at).when.categories", reason: "names at least one category")
                }
            case .keyword, .tariff:
                guard let words = condition.words, (1...50).contains(words.count) else {
                    throw .invalidField(field: "\(at).when.words", reason: "1 to 50 words")
                }
                if words.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.count > 60 }) {
                    throw .invalidField(field: "\(at).when.words", reason: "each word 1 to 60 characters")
                }
            case .repeated:
                guard let count = condition.count, (2...100).contains(count) else {
                    throw .invalidField(field: "\(at).when.count", reason: "2 to 100")
                }
                guard let days = condition.days, (1...90).contains(days) else { throw .invalidField(field: "\(at).when.days", reason: "1 to 90") }
            case .suspended, .outage:
                break
            }
        }
    }
}
