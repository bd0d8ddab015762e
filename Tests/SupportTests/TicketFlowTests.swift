import Contracts
import Foundation
import Kernel
import Storage
import Support
import TestSupport
import Testing

@Suite("Tickets: the conversation and its workflow")
struct TicketFlowTests {
    @Test(arguments: DatabaseKind.available)
    func aCustomerSeesWhoHasTheTicketAndTheOperatorsAnswer(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            try await h.agent("anna")
            let requester = SupportHarness.requester()
            let opened = try await h.open(by: requester)
            #expect(opened.summary.status == .new)
            #expect(opened.summary.number == 1)
            #expect(opened.messages.map(\.text) == ["Вечером скорость падает до 5 Мбит/с"])
            #expect(opened.reasons.isEmpty, "customers do not see the rules")
            #expect(opened.sla?.targets.map(\.kind) == [.firstResponse, .resolution])
            #expect(try await h.assignAll() == 1)
            let me = TicketViewer.customer(userID: requester.userId)
            let assigned = try await h.service.ticket(id: opened.summary.id, viewer: me)
            #expect(assigned.summary.assignee == TicketParticipant(id: "anna", name: "Оператор anna"))

            h.clock.advance(by: 600)
            _ = try await h.service.addMessage(
                ticketID: opened.summary.id, NewTicketMessage(text: "Проверили линию, перезагрузите роутер"), viewer: .staff("anna"))
            let answered = try await h.service.ticket(id: opened.summary.id, viewer: me)
            #expect(answered.summary.status == .open)
            #expect(answered.messages.map(\.author) == [.customer, .operator])
            #expect(answered.messages.last?.from.name == "Оператор anna")
            #expect(answered.firstRespondedAt == h.clock.now())
            #expect(answered.sla?.targets.first { $0.kind == .firstResponse }?.state == .met)
            #expect(try await h.outbox(TicketCreated.type).count == 1)
            #expect(try await h.outbox(TicketAssigned.type).count == 1)
            #expect(try await h.outbox(TicketStatusChanged.type).count == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func internalNotesNeverReachTheCustomer(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let requester = SupportHarness.requester()
            let ticket = try await h.open(by: requester)
            let id = ticket.summary.id
            let staffView = try await h.service.addMessage(
                ticketID: id, NewTicketMessage(text: "Клиент должник, не обещать выезд", isInternal: true), viewer: .staff("anna"))
            #expect(staffView.messages.contains { $0.isInternal })
            let me = TicketViewer.customer(userID: requester.userId)
            let seen = try await h.service.ticket(id: id, viewer: me)
            #expect(!seen.messages.contains { $0.isInternal || $0.text.contains("должник") })
            let afterReply = try await h.service.addMessage(ticketID: id, NewTicketMessage(text: "Когда починят?"), viewer: me)
            #expect(!afterReply.messages.contains { $0.isInternal })
            #expect(afterReply.messages.count == 2)
            // The note's event carries no text, so no consumer can show it to the customer.
            let events = try await h.outbox(TicketMessageAdded.type)
            #expect(events.count == 2)
            #expect(!events.contains { $0.contains("должник") })
            #expect(try await h.service.ticket(id: id, viewer: .staff("anna")).messages.count == 3)
            // An internal note stops no clock: the first response is still due.
            #expect(seen.firstRespondedAt == nil)
            await #expect(throws: SupportError.invalidField(field: "isInternal", reason: "only operators write internal notes")) {
                try await h.service.addMessage(ticketID: id, NewTicketMessage(text: "x", isInternal: true), viewer: me)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anotherCustomersTicketIsNotFound(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let ticket = try await h.open()
            let stranger = TicketViewer.customer(userID: "user-someone-else")
            await #expect(throws: SupportError.notFound) { try await h.service.ticket(id: ticket.summary.id, viewer: stranger) }
            await #expect(throws: SupportError.notFound) {
                try await h.service.addMessage(ticketID: ticket.summary.id, NewTicketMessage(text: "hi"), viewer: stranger)
            }
            #expect(try await h.service.tickets(ofUser: "user-someone-else", page: PageRequest()).items.isEmpty)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func waitingPausesResolvingStampsAndAReplyReopens(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let requester = SupportHarness.requester()
            let me = TicketViewer.customer(userID: requester.userId)
            let id = try await h.open(by: requester).summary.id
            let waiting = try await h.service.changeStatus(ticketID: id, to: .waitingForCustomer, operatorID: "anna")
            #expect(waiting.sla?.paused == true)
            #expect(waiting.sla?.targets.allSatisfy { $0.state == .paused && $0.dueAt == nil } == true)
            h.clock.advance(by: 3600)
            let reopened = try await h.service.addMessage(ticketID: id, NewTicketMessage(text: "Перезагрузил, не помогло"), viewer: me)
            #expect(reopened.summary.status == .open)
            #expect(reopened.sla?.paused == false)
            let resolved = try await h.service.changeStatus(ticketID: id, to: .resolved, operatorID: "anna")
            #expect(resolved.resolvedAt == h.clock.now())
            let again = try await h.service.addMessage(ticketID: id, NewTicketMessage(text: "Опять пропал"), viewer: me)
            #expect(again.summary.status == .open)
            #expect(again.resolvedAt == nil)
            _ = try await h.service.changeStatus(ticketID: id, to: .closed, operatorID: "anna")
            await #expect(throws: SupportError.invalidTransition(from: .closed, to: .open)) {
                try await h.service.addMessage(ticketID: id, NewTicketMessage(text: "ещё"), viewer: me)
            }
            await #expect(throws: SupportError.invalidTransition(from: .closed, to: .open)) {
                try await h.service.changeStatus(ticketID: id, to: .open, operatorID: "anna")
            }
            let moves = try await h.outbox(TicketStatusChanged.type).map { try JSONDecoder().decode(TicketStatusChanged.self, from: Data($0.utf8)) }
            #expect(moves.map(\.to) == [.waitingForCustomer, .open, .resolved, .open, .closed])
            #expect(moves.map(\.changedBy) == ["anna", nil, "anna", nil, "anna"])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func resolvedTicketsCloseThemselvesAfterTheConfiguredDays(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind, configure: { $0.autoCloseDays = 3 }) { h in
            let requester = SupportHarness.requester()
            let id = try await h.open(by: requester).summary.id
            _ = try await h.service.changeStatus(ticketID: id, to: .resolved, operatorID: "anna")
            h.clock.advance(by: 2 * 86_400)
            #expect(try await h.service.closeResolved() == 0)
            h.clock.advance(by: 86_400)
            #expect(try await h.service.closeResolved() == 1)
            let closed = try await h.service.ticket(id: id, viewer: .customer(userID: requester.userId))
            #expect(closed.summary.status == .closed)
            #expect(closed.sla == nil)
            #expect(closed.messages.last?.author == .system)
            #expect(closed.messages.last?.text.contains("3") == true)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func badInputIsRefusedNamingTheField(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let cases: [(NewTicket, String)] = [
                (NewTicket(subject: "  ", text: "t", category: .other), "subject"),
                (NewTicket(subject: String(repeating: "я", count: 201), text: "t", category: .other), "subject"),
                (NewTicket(subject: "a\u{0007}b", text: "t", category: .other), "subject"),
                (NewTicket(subject: "s", text: "", category: .other), "text"),
                (NewTicket(subject: "s", text: String(repeating: "я", count: 10_001), category: .other), "text"),
                (NewTicket(subject: "s", text: "t", category: .billing, about: TicketSubject(kind: .invoice, id: "../x")), "about.id"),
            ]
            for (input, field) in cases {
                do {
                    _ = try await h.service.createTicket(input, requester: SupportHarness.requester())
                    Issue.record("accepted a bad \(field)")
                } catch SupportError.invalidField(let named, _) {
                    #expect(named == field)
                }
            }
            #expect(try await h.database.first("SELECT COUNT(*) AS n FROM support_tickets")?.int("n") == 0)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func markupIsKeptAsText(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let ticket = try await h.open("<b>Нет</b> сети", text: "<script>alert(1)</script>")
            #expect(ticket.summary.subject == "<b>Нет</b> сети")
            #expect(ticket.messages.first?.text == "<script>alert(1)</script>")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aCustomersListPagesNewestFirst(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let requester = SupportHarness.requester()
            for index in 0..<5 {
                h.clock.advance(by: 60)
                try await h.open("Обращение \(index)", by: requester)
            }
            let first = try await h.service.tickets(ofUser: requester.userId, page: PageRequest(limit: 3))
            #expect(first.items.map(\.subject) == ["Обращение 4", "Обращение 3", "Обращение 2"])
            let second = try await h.service.tickets(ofUser: requester.userId, page: PageRequest(cursor: first.nextCursor, limit: 3))
            #expect(second.items.map(\.subject) == ["Обращение 1", "Обращение 0"])
            #expect(second.nextCursor == nil)
            await #expect(throws: SupportError.invalidField(field: "cursor", reason: "is not a cursor of this list")) {
                try await h.service.tickets(ofUser: requester.userId, page: PageRequest(cursor: "nonsense", limit: 3))
            }
        }
    }
}
