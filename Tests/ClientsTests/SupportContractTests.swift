import Clients
import Contracts
import Foundation
import Kernel
import Support
import Testing

/// ``SupportAPI``'s contract, held by the local service and by the client over the internal API alike: the same
/// calls give the same answers and the same typed errors in both modes.
@Suite("Support contract")
struct SupportContractTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52] + Array(repeating: 3, count: 32))

    @Test("Tickets: open, read, reply, note, attach, move, assign, merge, rate", arguments: Mode.allCases)
    func tickets(mode: Mode) async throws {
        try await SupportEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            let requester = SupportEndpoint.requester()
            let me = TicketViewer.customer(userID: requester.userId)
            _ = try await api.setAgent(userID: "anna", AgentProfile(name: "Анна", skills: TicketCategory.allCases, languages: ["ru"]))
            #expect(try await api.setAgentState(userID: "anna", .online).state == .online)
            let opened = try await api.createTicket(NewTicket(subject: "Нет связи", text: "С утра", category: .noConnection), requester: requester)
            #expect(opened.summary.priority == .high)
            try await endpoint.service.assignWaiting()
            #expect(try await api.ticket(id: opened.summary.id, viewer: me).summary.assignee?.name == "Анна")
            #expect(try await api.tickets(ofUser: requester.userId, page: PageRequest()).items.map(\.id) == [opened.summary.id])
            let mine = try await api.tickets(matching: TicketFilter(queue: .mine), operatorID: "anna", page: PageRequest())
            #expect(mine.items.map(\.id) == [opened.summary.id])
            _ = try await api.addMessage(ticketID: opened.summary.id, NewTicketMessage(text: "Заметка", isInternal: true), viewer: .staff("anna"))
            let answered = try await api.addMessage(ticketID: opened.summary.id, NewTicketMessage(text: "Проверяем"), viewer: .staff("anna"))
            #expect(answered.messages.count == 3)
            let seen = try await api.ticket(id: opened.summary.id, viewer: me)
            #expect(seen.messages.map(\.text) == ["С утра", "Проверяем"])
            let attached = try await api.addAttachment(
                ticketID: opened.summary.id, AttachmentUpload(fileName: "фото.png", data: Self.png), viewer: me)
            let attachment = try #require(attached.messages.last?.attachments.first)
            #expect(try await api.attachment(id: attachment.id, ticketID: opened.summary.id, viewer: me).data == Self.png)
            await #expect(throws: SupportError.notFound) { try await api.ticket(id: opened.summary.id, viewer: .customer(userID: "u-other")) }
            await #expect(
                throws: SupportError.attachmentRefused(
                    kind: "unsupported-type", reason: "the file is not a JPEG, PNG, GIF, WebP or HEIC image, a PDF or plain text")
            ) {
                try await api.addAttachment(
                    ticketID: opened.summary.id, AttachmentUpload(fileName: "x.html", data: Data("<html></html>".utf8)), viewer: me)
            }
            let duplicate = try await api.createTicket(NewTicket(subject: "Снова", text: "Нет связи", category: .noConnection), requester: requester)
            let merged = try await api.merge(ticketID: duplicate.summary.id, into: opened.summary.id, operatorID: "anna")
            #expect(merged.messages.contains { $0.text == "Нет связи" })
            let resolved = try await api.changeStatus(ticketID: opened.summary.id, to: .resolved, operatorID: "anna")
            #expect(resolved.summary.status == .resolved)
            await #expect(throws: SupportError.invalidTransition(from: .closed, to: .open)) {
                try await api.changeStatus(ticketID: duplicate.summary.id, to: .open, operatorID: "anna")
            }
            let outcomes = try await api.changeStatus(ticketIDs: [opened.summary.id, "missing"], to: .closed, operatorID: "anna")
            #expect(outcomes.map(\.refused) == [nil, "not-found"])
            await #expect(throws: SupportError.ratingRefused(reason: "This link is not valid for this ticket")) {
                try await api.rate(ticketID: opened.summary.id, score: 5, token: "forged", comment: nil)
            }
            await #expect(throws: SupportError.invalidTransition(from: .closed, to: .closed), "a closed ticket is nobody's to take") {
                try await api.assign(ticketID: duplicate.summary.id, to: "anna", operatorID: "anna")
            }
        }
    }

    @Test("The desk: operators, rules, canned replies, satisfaction; bad input names its field", arguments: Mode.allCases)
    func desk(mode: Mode) async throws {
        try await SupportEndpoint.with(mode) { endpoint in
            let api = endpoint.api
            #expect(try await api.priorityRules() == PriorityRule.defaults)
            let rules = [PriorityRule(id: "all-high", when: PriorityCondition(kind: .category, categories: TicketCategory.allCases), atLeast: .high)]
            #expect(try await api.setPriorityRules(rules) == rules)
            await #expect(throws: SupportError.invalidField(field: "rules[0].when.categories", reason: "names at least one category")) {
                try await api.setPriorityRules([PriorityRule(id: "x", when: PriorityCondition(kind: .category), atLeast: .low)])
            }
            await #expect(throws: SupportError.invalidField(field: "languages", reason: "one or both of ru, en")) {
                try await api.setAgent(userID: "a", AgentProfile(name: "A", skills: [.other], languages: ["fr"]))
            }
            await #expect(throws: SupportError.agentNotFound) { try await api.setAgentState(userID: "ghost", .online) }
            _ = try await api.setAgent(userID: "boris", AgentProfile(name: "Борис", skills: [.other], languages: ["ru", "en"], isSupervisor: true))
            #expect(try await api.agents().map(\.isSupervisor) == [true])
            let reply = try await api.setCannedReply(id: nil, CannedReplyInput(title: "Привет", text: "{{customer.first_name}}, № {{ticket.number}}"))
            #expect(try await api.cannedReplies() == [reply])
            let ticket = try await api.createTicket(
                NewTicket(subject: "Вопрос", text: "Текст", category: .other), requester: SupportEndpoint.requester())
            #expect(try await api.renderCannedReply(id: reply.id, ticketID: ticket.summary.id, operatorID: "boris") == "Иван, № 1")
            try await api.deleteCannedReply(id: reply.id)
            await #expect(throws: SupportError.notFound) { try await api.deleteCannedReply(id: reply.id) }
            let now = endpoint.clock.now()
            #expect(try await api.satisfaction(from: now.addingTimeInterval(-86_400), to: now).isEmpty)
            await #expect(throws: SupportError.invalidField(field: "subject", reason: "must not be empty")) {
                try await api.createTicket(NewTicket(subject: " ", text: "t", category: .other), requester: SupportEndpoint.requester())
            }
            await #expect(throws: SupportError.invalidField(field: "text", reason: "at most 100 characters")) {
                try await api.tickets(matching: TicketFilter(text: String(repeating: "a", count: 101)), operatorID: "boris", page: PageRequest())
            }
        }
    }
}
