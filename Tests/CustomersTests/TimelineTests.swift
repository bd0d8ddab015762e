import Contracts
import Customers
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("The CRM timeline", .serialized)
struct TimelineTests {
    static func envelope<Event: DomainEvent>(_ event: Event, _ h: CustomersHarness) throws -> EventEnvelope {
        h.clock.advance(by: 60)
        return try EventEnvelope(event, at: h.clock.now())
    }

    static func loose(_ type: String, _ payload: String, _ h: CustomersHarness) -> EventEnvelope {
        h.clock.advance(by: 60)
        return EventEnvelope(id: UUID().uuidString.lowercased(), type: type, version: 1, occurredAt: h.clock.now(), payload: payload)
    }

    @Test(arguments: DatabaseKind.available)
    func eventsBecomeRussianEntriesNewestFirst(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let input = CustomersHarness.input()
            let customer = try await h.create(input)
            let id = customer.id
            let period = try #require(BillingPeriod(year: 2026, month: 10))
            let due = try #require(LocalDate(year: 2026, month: 11, day: 10))
            let events: [EventEnvelope] = [
                try Self.envelope(
                    InvoiceCreated(invoiceId: "i1", customerId: id, number: "С-2026-10-1", period: period, total: .rub(65_000), dueOn: due), h),
                try Self.envelope(PaymentCreated(paymentId: "p1", customerId: id, invoiceId: "i1", amount: .rub(65_000), method: .provider), h),
                try Self.envelope(PaymentSucceeded(paymentId: "p1", customerId: id, invoiceId: "i1", amount: .rub(65_000), method: .provider), h),
                try Self.envelope(InvoicePaid(invoiceId: "i1", customerId: id, total: .rub(65_000)), h),
                try Self.envelope(PaymentFailed(paymentId: "p2", customerId: id, amount: .rub(10_000), reason: "карта отклонена"), h),
                try Self.envelope(PaymentRefunded(paymentId: "p1", customerId: id, amount: .rub(5_000), refundedTotal: .rub(5_000)), h),
                try Self.envelope(InvoiceOverdue(invoiceId: "i2", customerId: id, amountDue: .rub(123_456), dueOn: due), h),
                try Self.envelope(SubscriptionSuspended(subscriptionId: "s1", customerId: id, balance: .rub(-1_050)), h),
                try Self.envelope(
                    PromisedPaymentTaken(promisedPaymentId: "pp", customerId: id, amount: .rub(30_000), expiresAt: due.start(in: .moscow)), h),
                try Self.envelope(SubscriptionResumed(subscriptionId: "s1", customerId: id), h),
                try Self.envelope(PromisedPaymentExpired(promisedPaymentId: "pp", customerId: id, amount: .rub(30_000)), h),
                try Self.envelope(TariffChanged(subscriptionId: "s1", customerId: id, fromTariffId: "t1", toTariffId: "t2", effectiveOn: due), h),
                try Self.envelope(SubscriptionPaused(subscriptionId: "s1", customerId: id, startsOn: due, endsOn: due.adding(days: 13)), h),
                try Self.envelope(
                    TicketCreated(
                        ticketId: "t-1", number: 1042, customerId: id, userId: input.userId, category: .noConnection, priority: .high,
                        subject: "Нет интернета", address: nil, locale: "ru"), h),
                try Self.envelope(
                    TicketAssigned(
                        ticketId: "t-1", number: 1042, customerId: id, assigneeId: "op", assigneeName: "Анна", previousAssigneeId: nil,
                        priority: .high, category: .noConnection), h),
                try Self.envelope(
                    TicketSLABreached(
                        ticketId: "t-1", number: 1042, customerId: id, target: .resolution, dueAt: due.start(in: .moscow), priority: .high,
                        category: .noConnection, assigneeId: "op", supervisorIds: []), h),
                try Self.envelope(
                    TicketStatusChanged(
                        ticketId: "t-1", number: 1042, customerId: id, userId: input.userId, from: .open, to: .resolved, changedBy: "op",
                        category: .noConnection, priority: .high, assigneeId: "op", locale: "ru"), h),
                Self.loose("notification.sent", #"{"userId": "\#(input.userId)", "channel": "sms", "template": "invoice.created"}"#, h),
            ]
            for event in events { #expect(try await h.deliver(event)) }
            let page = try await h.service.timeline(customerID: id, page: PageRequest(limit: 100))
            let nbsp = "\u{00A0}"
            let expected = [
                "Отправлено уведомление (SMS): invoice.created",
                "Обращение № 1042: решено",
                "Обращение № 1042: нарушен срок (решение)",
                "Обращение № 1042 передано оператору Анна",
                "Создано обращение № 1042: Нет интернета (нет связи, приоритет высокий)",
                "Услуга на паузе с 10.11.2026 по 23.11.2026",
                "Тариф сменён с 10.11.2026",
                "Обещанный платёж 300,00\(nbsp)₽ закончился",
                "Услуга возобновлена",
                "Взят обещанный платёж 300,00\(nbsp)₽ до 10.11.2026",
                "Услуга приостановлена за долг, баланс -10,50\(nbsp)₽",
                "Счёт просрочен: не оплачено 1\(nbsp)234,56\(nbsp)₽, срок был 10.11.2026",
                "Возврат 50,00\(nbsp)₽ (всего возвращено 50,00\(nbsp)₽)",
                "Платёж 100,00\(nbsp)₽ не прошёл: карта отклонена",
                "Счёт на 650,00\(nbsp)₽ оплачен",
                "Платёж 650,00\(nbsp)₽ зачислен (онлайн)",
                "Создан платёж 650,00\(nbsp)₽ (онлайн)",
                "Выставлен счёт № С-2026-10-1 за октябрь 2026 на 650,00\(nbsp)₽, оплатить до 10.11.2026",
                "Клиент зарегистрирован, договор № LM-2026-000001",
            ]
            #expect(page.items.map(\.summary) == expected)
            #expect(page.items.first?.kind == .notification)
            #expect(page.items[1].kind == .ticket)
            #expect(page.items.last?.kind == .profile)
            #expect(page.items.first?.source == "notification.sent")
            #expect(page.nextCursor == nil)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func redeliveredEventsAddOneEntry(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let customer = try await h.create()
            let event = try Self.envelope(
                PaymentSucceeded(paymentId: "p", customerId: customer.id, invoiceId: nil, amount: .rub(100), method: .cash), h)
            let first = try await h.deliver(event)
            let second = try await h.deliver(event)
            #expect(first && !second)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<5 { group.addTask { _ = try await h.deliver(event) } }
                try await group.waitForAll()
            }
            let entries = try await h.service.timeline(customerID: customer.id, page: PageRequest()).items
            #expect(entries.filter { $0.source == PaymentSucceeded.type }.count == 1)
            #expect(entries.first?.id == event.id)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func eventsWithoutACustomerAreSkipped(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let notification = try await h.deliver(Self.loose("notification.sent", #"{"userId": "operator-without-card", "channel": "email"}"#, h))
            #expect(notification, "handled, with nothing to record")
            let entries = try await h.database.first("SELECT COUNT(*) AS n FROM customer_timeline")?.int("n")
            #expect(entries == 0)
            #expect(TimelineConsumer.name == "customers.timeline")
            #expect(TimelineConsumer.eventTypes.isSuperset(of: [PaymentCreated.type, InvoiceOverdue.type, TicketCreated.type, "notification.sent"]))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func notesAndPagesNewestFirst(kind: DatabaseKind) async throws {
        try await CustomersHarness.with(kind) { h in
            let customer = try await h.create()
            for number in 1...12 {
                h.clock.advance(by: number.isMultiple(of: 3) ? 0 : 1)
                let note = try await h.service.addNote(customerID: customer.id, text: "  Заметка \(number)\n", by: "operator-3")
                #expect(note.summary == "Заметка \(number)")
                #expect(note.kind == .note)
                #expect(note.authorId == "operator-3")
            }
            var seen: [TimelineEntry] = []
            var page = PageRequest(limit: 5)
            repeat {
                let result = try await h.service.timeline(customerID: customer.id, page: page)
                seen += result.items
                page.cursor = result.nextCursor
            } while page.cursor != nil
            #expect(seen.count == 13)
            #expect(Set(seen.map(\.id)).count == 13)
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.occurredAt >= $1.occurredAt })
            #expect(["Заметка 11", "Заметка 12"].contains(seen.first?.summary ?? ""), "notes 11 and 12 share their time")
            #expect(seen.last?.kind == .profile)
            let empty = await customerError { _ = try await h.service.addNote(customerID: customer.id, text: " \n ", by: "operator-3") }
            #expect(invalidField(empty) == "text")
            await #expect(throws: CustomerError.notFound) { _ = try await h.service.addNote(customerID: "nobody", text: "x", by: "operator-3") }
            await #expect(throws: CustomerError.notFound) { _ = try await h.service.timeline(customerID: "nobody", page: PageRequest()) }
            let cursor = await customerError { _ = try await h.service.timeline(customerID: customer.id, page: PageRequest(cursor: "%%%")) }
            #expect(invalidField(cursor) == "cursor")
        }
    }
}
