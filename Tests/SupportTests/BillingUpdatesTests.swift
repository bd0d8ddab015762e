import Contracts
import Foundation
import Kernel
import Messaging
import Storage
import Support
import TestSupport
import Testing

@Suite("Billing's events update tickets, once")
struct BillingUpdatesTests {
    @Test(arguments: DatabaseKind.available)
    func aLiftedSuspensionAnswersTheOpenConnectionTicketOnceWhenDeliveredTwice(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let customer = UUID().uuidString.lowercased()
            let requester = SupportHarness.requester(customer: customer, suspended: true)
            let down = try await h.open("Нет интернета", text: "Пропал интернет", category: .noConnection, by: requester)
            let equipment = try await h.open("Роутер", text: "Сломался", category: .equipment, by: requester)
            let other = try await h.open("Нет связи", category: .noConnection, by: SupportHarness.requester(suspended: true))
            h.clock.advance(by: 600)
            let event = try EventEnvelope(SubscriptionResumed(subscriptionId: "s-1", customerId: customer), at: h.clock.now())
            let consumer = h.service.billingEventsConsumer()
            #expect(try await h.deliver(event, to: consumer))
            #expect(try await !h.deliver(event, to: consumer), "the second delivery is dropped by the inbox")
            let me = TicketViewer.customer(userID: requester.userId)
            let updated = try await h.service.ticket(id: down.summary.id, viewer: me)
            #expect(updated.summary.status == .waitingForCustomer)
            #expect(
                updated.messages.filter { $0.author == .system }.map(\.text) == [
                    "Платёж получен, услуга возобновлена. Проверьте, пожалуйста, работает ли интернет, и ответьте здесь, если нет."
                ])
            #expect(try await h.service.ticket(id: equipment.summary.id, viewer: me).messages.count == 1, "not about the connection")
            #expect(try await h.service.ticket(id: other.summary.id, viewer: .staff("x")).messages.count == 1, "another customer's")
            let moves = try await h.outbox(TicketStatusChanged.type)
            #expect(moves.count == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aPaidInvoiceLeavesANoteForOperatorsOnTheTicketAboutIt(kind: DatabaseKind) async throws {
        try await SupportHarness.with(kind) { h in
            let requester = SupportHarness.requester()
            let ticket = try await h.open(
                "Счёт за ноябрь", text: "Почему такая сумма?", category: .billing, about: TicketSubject(kind: .invoice, id: "inv-1"), by: requester)
            h.clock.advance(by: 60)
            let paid = try EventEnvelope(InvoicePaid(invoiceId: "inv-1", customerId: requester.customerId, total: .rub(65_000)), at: h.clock.now())
            #expect(try await h.deliver(paid, to: h.service.billingEventsConsumer()))
            let staff = try await h.service.ticket(id: ticket.summary.id, viewer: .staff("x"))
            #expect(staff.messages.last?.isInternal == true)
            #expect(staff.messages.last?.text == "Счёт, о котором это обращение, оплачен полностью.")
            let customer = try await h.service.ticket(id: ticket.summary.id, viewer: .customer(userID: requester.userId))
            #expect(customer.messages.count == 1)
        }
    }
}
