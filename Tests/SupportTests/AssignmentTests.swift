import Contracts
import Foundation
import Kernel
import Storage
import Support
import TestSupport
import Testing

@Suite("Assignment: fair, race-free, queue order, hand-back")
struct AssignmentTests {
    @Test(arguments: DatabaseKind.available)
    func aThousandConcurrentTicketsOverTenOperatorsLeaveLoadsWithinOne(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            for index in 0..<10 { try await h.agent("op-\(index)", maximum: 500) }
            // Creation and several assigners race, as replicas would.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<20 {
                    group.addTask {
                        for index in 0..<50 {
                            try await h.open("Обращение \(worker)-\(index)", by: SupportHarness.requester())
                        }
                    }
                }
                for _ in 0..<3 {
                    group.addTask { for _ in 0..<20 { try await h.service.assignWaiting(batch: 37) } }
                }
                try await group.waitForAll()
            }
            try await h.assignAll()
            let loads = try await h.service.agents().map(\.openTickets)
            #expect(loads.reduce(0, +) == 1000)
            #expect(loads.max()! - loads.min()! <= 1, "loads \(loads)")
            let assigned = try await h.outbox(TicketAssigned.type)
            #expect(assigned.count == 1000, "one ticket.assigned per ticket")
            let unassigned = try await h.database.first("SELECT COUNT(*) AS n FROM support_tickets WHERE assignee_id IS NULL")?.int("n")
            #expect(unassigned == 0)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func equalLoadsTakeTurns(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            for id in ["a", "b", "c"] { try await h.agent(id) }
            var order: [String] = []
            for _ in 0..<6 {
                let ticket = try await h.open()
                try await h.assignAll()
                let assignee = try await h.service.ticket(id: ticket.summary.id, viewer: .staff("x")).summary.assignee?.id
                order.append(assignee ?? "-")
                // Each answered and resolved at once, so loads stay equal and only the turn decides.
                _ = try await h.service.changeStatus(ticketID: ticket.summary.id, to: .resolved, operatorID: "x")
            }
            #expect(order == ["a", "b", "c", "a", "b", "c"])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func skillsAndLanguagesDecideWhoCanTakeATicket(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            try await h.agent("money", skills: [.billing])
            try await h.agent("english", skills: [.noConnection, .slowSpeed], languages: ["en"])
            let billing = try await h.open("Двойное списание", category: .billing)
            let english = try await h.open("Slow in the evening", category: .slowSpeed, by: SupportHarness.requester(locale: "en"))
            let russian = try await h.open("Медленно", category: .slowSpeed)
            try await h.assignAll()
            #expect(try await h.service.ticket(id: billing.summary.id, viewer: .staff("x")).summary.assignee?.id == "money")
            #expect(try await h.service.ticket(id: english.summary.id, viewer: .staff("x")).summary.assignee?.id == "english")
            #expect(
                try await h.service.ticket(id: russian.summary.id, viewer: .staff("x")).summary.assignee == nil, "nobody speaks Russian about speed")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theOldestTicketOfTheHighestPriorityGoesFirstWhenSomeoneComesOnline(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            try await h.agent("late", maximum: 2, online: false)
            let low = try await h.open("Вопрос", category: .other)
            h.clock.advance(by: 60)
            let highOld = try await h.open("Нет связи", category: .noConnection)
            h.clock.advance(by: 60)
            let highNew = try await h.open("Нет связи снова", category: .noConnection)
            #expect(low.summary.priority == .low && highOld.summary.priority == .high)
            #expect(try await h.assignAll() == 0, "nobody is online")
            _ = try await h.service.setAgentState(userID: "late", .online)
            #expect(try await h.assignAll() == 2, "up to the operator's maximum")
            let assigned = try await h.service.tickets(matching: TicketFilter(queue: .mine), operatorID: "late", page: PageRequest())
            #expect(Set(assigned.items.map(\.id)) == [highOld.summary.id, highNew.summary.id])
            let waiting = try await h.service.tickets(matching: TicketFilter(queue: .unassigned), operatorID: "late", page: PageRequest())
            #expect(waiting.items.map(\.id) == [low.summary.id])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func goingOfflineHandsBackOnlyUnansweredTickets(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            try await h.agent("leaving")
            let answered = try await h.open("Первый")
            let unanswered = try await h.open("Второй")
            try await h.assignAll()
            _ = try await h.service.addMessage(ticketID: answered.summary.id, NewTicketMessage(text: "Смотрим"), viewer: .staff("leaving"))
            let agent = try await h.service.setAgentState(userID: "leaving", .offline)
            #expect(agent.openTickets == 1)
            #expect(try await h.service.ticket(id: answered.summary.id, viewer: .staff("x")).summary.assignee?.id == "leaving")
            #expect(try await h.service.ticket(id: unanswered.summary.id, viewer: .staff("x")).summary.assignee == nil)
            let events = try await h.outbox(TicketAssigned.type).map { try JSONDecoder().decode(TicketAssigned.self, from: Data($0.utf8)) }
            #expect(events.last?.assigneeId == nil && events.last?.previousAssigneeId == "leaving")
            try await h.agent("next")
            try await h.assignAll()
            #expect(try await h.service.ticket(id: unanswered.summary.id, viewer: .staff("x")).summary.assignee?.id == "next")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anOperatorCanReassignOnlyToAnOperatorOfTheDesk(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            try await h.agent("a")
            try await h.agent("b", online: false)
            let ticket = try await h.open()
            let moved = try await h.service.assign(ticketID: ticket.summary.id, to: "b", operatorID: "supervisor")
            #expect(moved.summary.assignee?.id == "b")
            await #expect(throws: SupportError.agentNotFound) {
                try await h.service.assign(ticketID: ticket.summary.id, to: "nobody", operatorID: "supervisor")
            }
            let queued = try await h.service.assign(ticketID: ticket.summary.id, to: nil, operatorID: "supervisor")
            #expect(queued.summary.assignee == nil)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func operatorProfilesAreChecked(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let bad: [(AgentProfile, String)] = [
                (AgentProfile(name: "", skills: [.other], languages: ["ru"]), "name"),
                (AgentProfile(name: "A", skills: [], languages: ["ru"]), "skills"),
                (AgentProfile(name: "A", skills: [.other], languages: ["de"]), "languages"),
                (AgentProfile(name: "A", skills: [.other], languages: ["ru"], maximumOpenTickets: 0), "maximumOpenTickets"),
            ]
            for (profile, field) in bad {
                do {
                    _ = try await h.service.setAgent(userID: "a", profile)
                    Issue.record("accepted a bad \(field)")
                } catch SupportError.invalidField(let named, _) {
                    #expect(named == field)
                }
            }
            await #expect(throws: SupportError.agentNotFound) { try await h.service.setAgentState(userID: "ghost", .online) }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anOperatorOutsideTheirShiftTakesNoNewTickets(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            // Monday 10:00 in Moscow: the evening shift is not on yet.
            _ = try await h.service.setAgent(
                userID: "evening",
                AgentProfile(name: "Вечер", skills: TicketCategory.allCases, languages: ["ru"], workingHours: "mon-fri 18:00-23:00"))
            _ = try await h.service.setAgentState(userID: "evening", .online)
            let ticket = try await h.open()
            #expect(try await h.assignAll() == 0)
            h.clock.advance(by: 8.5 * 3600)
            #expect(try await h.assignAll() == 1)
            #expect(try await h.service.ticket(id: ticket.summary.id, viewer: .staff("x")).summary.assignee?.id == "evening")
            #expect(try await h.service.agents().first?.workingHours == "mon-fri 18:00-23:00")
            await #expect(
                throws: SupportError.invalidField(field: "workingHours", reason: "a shift such as mon-fri 09:00-18:00; sat 10:00-16:00, or 24/7")
            ) {
                try await h.service.setAgent(
                    userID: "x", AgentProfile(name: "X", skills: [.other], languages: ["ru"], workingHours: "всегда"))
            }
        }
    }
}
