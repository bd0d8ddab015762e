import Auth
import Contracts
import Foundation
import Kernel
import Notifications
import TestSupport
import Testing

@Suite("Events become notifications in the right person's inbox, once")
struct InboxTests {
    private func invoice(_ customer: Customer, number: String = "2026-12-0001", total: Int64 = 123_456) -> InvoiceCreated {
        InvoiceCreated(
            invoiceId: "inv-\(number)", customerId: customer.id, number: number,
            period: BillingPeriod(year: 2026, month: 12)!,
            total: .rub(total), dueOn: LocalDate(year: 2026, month: 12, day: 20)!)
    }

    @Test(arguments: DatabaseKind.available)
    func anInvoiceDeliveredTwiceIsOneNotificationInTheCustomersLanguage(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let ivan = try await h.customer()
            let envelope = try EventEnvelope(invoice(ivan), at: h.clock.now())
            #expect(try await h.deliver(envelope))
            #expect(try await !h.deliver(envelope), "the inbox drops the second delivery")
            try await h.settle()
            let inbox = try await h.service.inbox(ofUser: ivan.userId, unreadOnly: false, page: PageRequest())
            #expect(inbox.unread == 1)
            #expect(inbox.items.count == 1)
            let item = try #require(inbox.items.first)
            #expect(item.title == "Счёт № 2026-12-0001 на 1\u{00A0}234,56\u{00A0}₽")
            #expect(item.body == "Выставлен счёт № 2026-12-0001 на 1\u{00A0}234,56\u{00A0}₽. Оплатите до 20.12.2026.")
            #expect(item.category == .billing && item.kind == "invoice.created" && item.link == "/invoices/inv-2026-12-0001")

            let john = try await h.customer(locale: "en", name: "John Smith")
            try await h.deliver(invoice(john, number: "2026-12-0002", total: 65_000))
            try await h.settle()
            let english = try await h.service.inbox(ofUser: john.userId, unreadOnly: false, page: PageRequest()).items
            #expect(english.map(\.title) == ["Invoice 2026-12-0002 for RUB 650.00"])
            #expect(english.first?.body == "Invoice 2026-12-0002 for RUB 650.00 is issued. Please pay by 20 Dec 2026.")
            #expect(try await h.service.inbox(ofUser: ivan.userId, unreadOnly: false, page: PageRequest()).items.count == 1, "not Ivan's")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func readingMarksOnlyTheOwnersItemsAndPagesFollowTheirCursor(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let ivan = try await h.customer()
            for n in 1...5 {
                try await h.deliver(
                    PaymentSucceeded(paymentId: "p-\(n)", customerId: ivan.id, invoiceId: nil, amount: .rub(Int64(n) * 10_000), method: .provider))
                h.clock.advance(by: 60)
            }
            try await h.settle()
            let first = try await h.service.inbox(ofUser: ivan.userId, unreadOnly: false, page: PageRequest(limit: 2))
            #expect(first.items.map(\.body) == ["Зачислено 500,00\u{00A0}₽. Спасибо!", "Зачислено 400,00\u{00A0}₽. Спасибо!"])
            let second = try await h.service.inbox(ofUser: ivan.userId, unreadOnly: false, page: PageRequest(cursor: first.nextCursor, limit: 2))
            #expect(second.items.map(\.body) == ["Зачислено 300,00\u{00A0}₽. Спасибо!", "Зачислено 200,00\u{00A0}₽. Спасибо!"])
            #expect(try await h.service.markRead(ids: [first.items[0].id], userID: "someone-else") == 0)
            #expect(try await h.service.markRead(ids: [first.items[0].id, second.items[0].id], userID: ivan.userId) == 3)
            let unread = try await h.service.inbox(ofUser: ivan.userId, unreadOnly: true, page: PageRequest())
            #expect(unread.items.count == 3 && unread.unread == 3)
            #expect(try await h.service.markRead(ids: nil, userID: ivan.userId) == 0)
            await #expect(throws: NotificationsError.self) {
                try await h.service.inbox(ofUser: ivan.userId, unreadOnly: false, page: PageRequest(cursor: "not-a-cursor"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func ticketRepliesReachTheOtherSideAndInternalNotesNobody(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let ivan = try await h.customer()
            let agent = try await h.auth.createUser(
                email: "agent-\(UUID().uuidString.prefix(6))@isp.test", password: "correct horse battery", role: .supportAgent, locale: "ru")
            func message(_ author: TicketMessage.Author, note: Bool = false) -> TicketMessageAdded {
                TicketMessageAdded(
                    ticketId: "t-1", number: 17, customerId: ivan.id, userId: ivan.userId, messageId: UUID().uuidString, author: author,
                    isInternal: note, assigneeId: agent.id, locale: "ru")
            }
            try await h.deliver(message(.operator, note: true))
            try await h.deliver(message(.operator))
            try await h.deliver(message(.customer))
            try await h.settle()
            let customerInbox = try await h.service.inbox(ofUser: ivan.userId, unreadOnly: false, page: PageRequest()).items
            #expect(customerInbox.map(\.title) == ["Ответ по обращению № 17"])
            #expect(customerInbox.first?.link == "/support/tickets/t-1")
            let agentInbox = try await h.service.inbox(ofUser: agent.id, unreadOnly: false, page: PageRequest()).items
            #expect(agentInbox.map(\.title) == ["Клиент ответил по № 17"])
            #expect(agentInbox.first?.link == "/admin/support/tickets/t-1")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aPasswordResetLinkNeverLandsInTheInboxAndNobodyIsNotified(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let ivan = try await h.customer()
            try await h.deliver(
                PasswordResetRequested(
                    userId: ivan.userId, email: "ivan@isp.test", token: "secret-token", expiresAt: h.clock.now() + 3600, locale: "ru"))
            try await h.deliver(PaymentSucceeded(paymentId: "p-1", customerId: "no-such-customer", invoiceId: nil, amount: .rub(100), method: .cash))
            try await h.settle()
            #expect(try await h.service.inbox(ofUser: ivan.userId, unreadOnly: false, page: PageRequest()).items.isEmpty)
            #expect(try await h.service.routePending() == 0, "both routed, neither left waiting")
        }
    }
}

@Suite("Security notifications")
struct SecurityNotificationTests {
    @Test(arguments: DatabaseKind.available)
    func aSignInFromANewDeviceReachesTheInboxWhateverThePreferences(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let ivan = try await h.customer()
            _ = try await h.service.setPreferences(
                NotificationPreferences(channels: [.security: []], quietHours: QuietHours(from: "00:00", to: "23:59"), timeZone: "Europe/Moscow"),
                userID: ivan.userId)
            try await h.deliver(
                NewDeviceSignIn(userId: ivan.userId, device: "Firefox on Windows", ipAddress: "203.0.113.50", at: h.clock.now(), locale: "ru"))
            try await h.settle()
            let item = try #require(try await h.service.inbox(ofUser: ivan.userId, unreadOnly: false, page: PageRequest()).items.first)
            #expect(item.title == "Вход с нового устройства")
            #expect(
                item.body == "07.12.2026 10:00 выполнен вход с устройства «Firefox on Windows» (адрес 203.0.113.50). Если это не вы, смените пароль.")
            #expect(item.category == .security)
        }
    }
}
