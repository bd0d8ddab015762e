import Contracts
import Foundation
import Kernel
import Messaging
import Storage
import Support
import TestSupport
import Testing

@Suite("Priority: rules as data, with the reasons kept")
struct PriorityRulesTests {
    @Test(arguments: DatabaseKind.available)
    func theDefaultsWeighCategoryStateWordsTariffAndRepeats(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let quiet = try await h.open("Вопрос по договору", text: "Как сменить адрес?", category: .other)
            #expect(quiet.summary.priority == .low)
            let down = try await h.open("Нет связи", text: "Роутер мигает", category: .noConnection)
            #expect(down.summary.priority == .high)

            // A suspended customer's "no connection" is a billing matter.
            let debtor = try await h.open(
                "Нет связи", text: "Пропал интернет", category: .noConnection, by: SupportHarness.requester(suspended: true))
            #expect(debtor.summary.category == .billing)
            #expect(debtor.requestedCategory == .noConnection)
            let staffView = try await h.service.ticket(id: debtor.summary.id, viewer: .staff("x"))
            #expect(staffView.reasons.map(\.rule) == ["no-connection", "suspended-for-debt", "alarm-words"])
            #expect(staffView.reasons[1].routedTo == .billing)
            #expect(staffView.reasons[2].detail == "пропал")

            let business = try await h.open(
                "Скорость", text: "Медленно", category: .slowSpeed, by: SupportHarness.requester(tariffs: ["Бизнес 500"]))
            #expect(business.summary.priority == .high)
            let businessView = try await h.service.ticket(id: business.summary.id, viewer: .staff("x"))
            #expect(businessView.reasons.last == PriorityReason(rule: "business-tariff", kind: .tariff, detail: "Бизнес 500", priority: .high))

            let customer = SupportHarness.requester()
            var priorities: [TicketPriority] = []
            for _ in 0..<3 {
                h.clock.advance(by: 3600)
                priorities.append(try await h.open("Скорость", text: "Опять медленно", category: .slowSpeed, by: customer).summary.priority)
            }
            #expect(priorities == [.normal, .normal, .high], "the third contact in a week is raised")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aKnownOutageAtTheAddressRaisesThePriority(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let opened = try EventEnvelope(
                IncidentOpened(incidentId: "inc-1", title: "Авария на узле Тверская", areas: ["Москва, ул. Тверская"]), at: h.clock.now())
            #expect(try await h.deliver(opened, to: h.service.incidentsConsumer()))
            let inside = try await h.open("Медленно", text: "Еле грузит", category: .slowSpeed)
            #expect(inside.summary.priority == .high)
            let view = try await h.service.ticket(id: inside.summary.id, viewer: .staff("x"))
            #expect(view.reasons.contains(PriorityReason(rule: "known-outage", kind: .outage, detail: "Авария на узле Тверская", priority: .high)))
            let outside = try await h.open(
                "Медленно", text: "Еле грузит", category: .slowSpeed, by: SupportHarness.requester(address: "Казань, ул. Баумана, 1"))
            #expect(outside.summary.priority == .normal)
            #expect(
                try await h.deliver(try EventEnvelope(IncidentResolved(incidentId: "inc-1"), at: h.clock.now()), to: h.service.incidentsConsumer()))
            #expect(try await h.open("Медленно", text: "Еле грузит", category: .slowSpeed).summary.priority == .normal)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func operatorsReplaceTheRules(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            #expect(try await h.service.priorityRules() == PriorityRule.defaults)
            let rules = [
                PriorityRule(id: "equipment-urgent", when: PriorityCondition(kind: .category, categories: [.equipment]), atLeast: .urgent),
                PriorityRule(id: "vip", when: PriorityCondition(kind: .keyword, words: ["VIP"]), raiseBy: 1, enabled: false),
            ]
            #expect(try await h.service.setPriorityRules(rules) == rules)
            #expect(try await h.open("Роутер", text: "VIP сгорел", category: .equipment).summary.priority == .urgent)
            #expect(try await h.open("Нет связи", text: "VIP", category: .noConnection).summary.priority == .low, "only the set rules apply")
            let bad: [([PriorityRule], String)] = [
                ([PriorityRule(id: "x", when: PriorityCondition(kind: .category), atLeast: .high)], "rules[0].when.categories"),
                ([PriorityRule(id: "x", when: PriorityCondition(kind: .keyword, words: []), atLeast: .high)], "rules[0].when.words"),
                ([PriorityRule(id: "x", when: PriorityCondition(kind: .outage))], "rules[0]"),
                ([PriorityRule(id: "x y", when: PriorityCondition(kind: .outage), atLeast: .high)], "rules[0].id"),
                (
                    [
                        PriorityRule(id: "x", when: PriorityCondition(kind: .outage), atLeast: .high),
                        PriorityRule(id: "x", when: PriorityCondition(kind: .suspended), atLeast: .high),
                    ], "rules[1].id"
                ),
                ([PriorityRule(id: "x", when: PriorityCondition(kind: .repeated, count: 1, days: 7), raiseBy: 1)], "rules[0].when.count"),
                ([PriorityRule(id: "x", when: PriorityCondition(kind: .outage), raiseBy: 9)], "rules[0].raiseBy"),
            ]
            for (rules, field) in bad {
                do {
                    _ = try await h.service.setPriorityRules(rules)
                    Issue.record("accepted rules with a bad \(field)")
                } catch SupportError.invalidField(let named, _) {
                    #expect(named == field)
                }
            }
            #expect(try await h.service.priorityRules().map(\.id) == ["equipment-urgent", "vip"])
        }
    }
}
