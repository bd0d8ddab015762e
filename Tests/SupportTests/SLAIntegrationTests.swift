import Contracts
import Foundation
import Kernel
import Storage
import Support
import TestSupport
import Testing

@Suite("SLA of stored tickets: clocks in working hours, queues by deadline, breaches escalated once")
struct SLAIntegrationTests {
    @Test(arguments: DatabaseKind.available)
    func aFridayEveningTicketFallsDueOnMondayInWorkingHours(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            // Friday 11 December 2026, 17:30 in Moscow; normal priority: a first answer within 4 working hours.
            h.clock.advance(by: 4 * 86_400 + 7.5 * 3600)
            let ticket = try await h.open()
            #expect(ticket.summary.priority == .normal)
            let first = try #require(ticket.sla?.targets.first { $0.kind == .firstResponse })
            // 30 minutes on Friday, then Monday 14 December from 09:00: due at 12:30 Moscow time (09:30 UTC).
            #expect(first.dueAt == Date(timeIntervalSince1970: 1_797_240_600))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func breachesArePublishedOnceWithTheSupervisorsToEscalateTo(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            _ = try await h.service.setAgent(
                userID: "chief", AgentProfile(name: "Старший смены", skills: [.other], languages: ["ru"], isSupervisor: true))
            let ticket = try await h.open("Нет связи", category: .noConnection)
            #expect(ticket.summary.priority == .high)
            #expect(try await h.service.publishBreaches() == 0)
            // High: a first answer within one working hour; 50 minutes in, the warning window (20%) has begun.
            h.clock.advance(by: 50 * 60)
            let breaching = try await h.service.tickets(matching: TicketFilter(queue: .breaching), operatorID: "x", page: PageRequest())
            #expect(breaching.items.map(\.id) == [ticket.summary.id])
            #expect(try await h.service.ticket(id: ticket.summary.id, viewer: .staff("x")).sla?.targets.first?.state == .warning)
            h.clock.advance(by: 11 * 60)
            #expect(try await h.service.publishBreaches() == 1)
            #expect(try await h.service.publishBreaches() == 0, "a breach is escalated once")
            let events = try await h.outbox(TicketSLABreached.type).map { payload in
                try EventEnvelope(id: "e", type: TicketSLABreached.type, version: 1, occurredAt: h.clock.now(), payload: payload)
                    .decode(TicketSLABreached.self)
            }
            #expect(events.map(\.target) == [.firstResponse])
            #expect(events.first?.supervisorIds == ["chief"])
            #expect(try await h.service.ticket(id: ticket.summary.id, viewer: .staff("x")).sla?.targets.first?.state == .breached)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theQueueByDeadlinePutsTheOverdueFirstAndTheWaitingLast(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            try await h.agent("anna", maximum: 10)
            let low = try await h.open("Вопрос", category: .other)
            let urgentLater = try await h.open("Нет связи", category: .noConnection)
            let waiting = try await h.open("Скорость", category: .slowSpeed)
            try await h.assignAll()
            _ = try await h.service.changeStatus(ticketID: waiting.summary.id, to: .waitingForCustomer, operatorID: "anna")
            let mine = try await h.service.tickets(matching: TicketFilter(queue: .mine), operatorID: "anna", page: PageRequest(limit: 2))
            #expect(mine.items.map(\.id) == [urgentLater.summary.id, low.summary.id])
            let rest = try await h.service.tickets(
                matching: TicketFilter(queue: .mine), operatorID: "anna", page: PageRequest(cursor: mine.nextCursor, limit: 2))
            #expect(rest.items.map(\.id) == [waiting.summary.id])
        }
    }
}
