import Contracts
import Foundation
import Kernel
import Storage
import Support
import TestSupport
import Testing

@Suite("The desk's tools: bulk changes, merging duplicates, canned replies, ratings")
struct DeskToolsTests {
    @Test(arguments: DatabaseKind.available)
    func bulkChangesReportEveryTicket(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let a = try await h.open("Первое")
            let b = try await h.open("Второе")
            _ = try await h.service.changeStatus(ticketID: b.summary.id, to: .closed, operatorID: "anna")
            let outcomes = try await h.service.changeStatus(ticketIDs: [a.summary.id, b.summary.id, "missing"], to: .resolved, operatorID: "anna")
            #expect(
                outcomes == [
                    BulkOutcome(ticketId: a.summary.id, status: .resolved, refused: nil),
                    BulkOutcome(ticketId: b.summary.id, status: nil, refused: "invalid-transition"),
                    BulkOutcome(ticketId: "missing", status: nil, refused: "not-found"),
                ])
            await #expect(throws: SupportError.invalidField(field: "ticketIds", reason: "1 to 100 tickets")) {
                try await h.service.changeStatus(ticketIDs: (0...100).map { "t\($0)" }, to: .resolved, operatorID: "anna")
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aDuplicateMergesIntoTheOtherTicketOfTheSameCustomer(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let requester = SupportHarness.requester()
            let first = try await h.open("Нет интернета", text: "С утра нет связи", category: .noConnection, by: requester)
            h.clock.advance(by: 60)
            let duplicate = try await h.open("Интернет", text: "Роутер мигает красным", category: .noConnection, by: requester)
            let merged = try await h.service.merge(ticketID: duplicate.summary.id, into: first.summary.id, operatorID: "anna")
            #expect(merged.messages.map(\.text).prefix(2) == ["С утра нет связи", "Роутер мигает красным"])
            #expect(merged.messages.last?.text == "К этому обращению присоединено обращение № 2.")
            let closed = try await h.service.ticket(id: duplicate.summary.id, viewer: .customer(userID: requester.userId))
            #expect(closed.summary.status == .closed)
            #expect(closed.mergedInto == first.summary.id)
            #expect(closed.messages.map(\.text) == ["Объединено с обращением № 1, переписка продолжается там."])
            let found = try await h.service.tickets(matching: TicketFilter(queue: .all, text: "мигает"), operatorID: "anna", page: PageRequest())
            #expect(found.items.map(\.id) == [first.summary.id], "the duplicate's words now find the ticket it went into")
            let stranger = try await h.open("Чужое", by: SupportHarness.requester())
            await #expect(throws: SupportError.invalidField(field: "into", reason: "is another customer's ticket")) {
                try await h.service.merge(ticketID: stranger.summary.id, into: first.summary.id, operatorID: "anna")
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func cannedRepliesAreFilledInForTheTicket(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            try await h.agent("anna")
            var requester = SupportHarness.requester()
            requester.name = "Иванова Мария Петровна"
            let ticket = try await h.open("Счёт <за> ноябрь", category: .billing, about: TicketSubject(kind: .invoice, id: "inv-42"), by: requester)
            let reply = try await h.service.setCannedReply(
                id: nil,
                CannedReplyInput(
                    title: "Счёт пересчитан",
                    text:
                        "{{customer.first_name}}, добрый день! По обращению № {{ticket.number}} («{{ticket.subject}}») счёт {{ticket.about}} пересчитан. {{operator.name}}",
                    category: .billing))
            let text = try await h.service.renderCannedReply(id: reply.id, ticketID: ticket.summary.id, operatorID: "anna")
            #expect(text == "Мария, добрый день! По обращению № 1 («Счёт <за> ноябрь») счёт inv-42 пересчитан. Оператор anna")
            #expect(try await h.service.cannedReplies() == [reply])
            let changed = try await h.service.setCannedReply(id: reply.id, CannedReplyInput(title: "Другое", text: "Текст", locale: "ru"))
            #expect(try await h.service.cannedReplies() == [changed])
            await #expect(throws: SupportError.invalidField(field: "text", reason: "is not a valid template: check the {{ }} pairs")) {
                try await h.service.setCannedReply(id: nil, CannedReplyInput(title: "Сломанный", text: "{{#customer}} без конца"))
            }
            try await h.service.deleteCannedReply(id: reply.id)
            await #expect(throws: SupportError.notFound) { try await h.service.deleteCannedReply(id: reply.id) }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aResolvedTicketIsRatedFromItsSignedLinkAndReportedPerOperator(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            try await h.agent("anna")
            let requester = SupportHarness.requester()
            let ticket = try await h.open(by: requester)
            try await h.assignAll()
            let link = try #require(
                try await h.service.changeStatus(ticketID: ticket.summary.id, to: .resolved, operatorID: "anna").messages.last?.text
                    .split(separator: "\n").first { $0.hasPrefix("5 — ") })
            let components = try #require(URLComponents(string: String(link.dropFirst(4))))
            #expect(components.path == "/api/v1/support/tickets/\(ticket.summary.id)/rating")
            let token = try #require(components.queryItems?.first { $0.name == "token" }?.value)
            await #expect(throws: SupportError.ratingRefused(reason: "This link is not valid for this ticket")) {
                try await h.service.rate(ticketID: ticket.summary.id, score: 5, token: "forged", comment: nil)
            }
            let other = try await h.open(by: requester)
            await #expect(throws: SupportError.ratingRefused(reason: "This link is not valid for this ticket")) {
                try await h.service.rate(ticketID: other.summary.id, score: 1, token: token, comment: nil)
            }
            #expect(try await h.service.rate(ticketID: ticket.summary.id, score: 5, token: token, comment: nil).score == 5)
            let rating = try await h.service.rate(ticketID: ticket.summary.id, score: 4, token: token, comment: "Быстро, спасибо")
            #expect(rating.score == 4 && rating.comment == "Быстро, спасибо")
            #expect(try await h.service.ticket(id: ticket.summary.id, viewer: .customer(userID: requester.userId)).rating == rating)
            let report = try await h.service.satisfaction(from: h.clock.now().addingTimeInterval(-3600), to: h.clock.now().addingTimeInterval(60))
            #expect(
                report == [
                    OperatorSatisfaction(operatorId: "anna", name: "Оператор anna", resolved: 1, rated: 1, scores: [0, 0, 0, 1, 0], csatPercent: 100)
                ])
            await #expect(throws: SupportError.invalidField(field: "score", reason: "1 to 5")) {
                try await h.service.rate(ticketID: ticket.summary.id, score: 6, token: token, comment: nil)
            }
        }
    }
}
