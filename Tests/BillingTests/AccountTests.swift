import Billing
import Contracts
import Foundation
import Kernel
import Messaging
import Storage
import TestSupport
import Testing

@Suite("Accounts and events", .serialized)
struct AccountTests {
    @Test(arguments: DatabaseKind.available)
    func customerCreatedOpensTheAccountOnceAndOpeningIsIdempotent(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let event = CustomerCreated(customerId: "c-event", userId: "u-event", contractId: "k-1", contractNumber: "LM-000001")
            let envelope = try EventEnvelope(event, at: h.clock.now())
            let processor = InboxProcessor(database: h.database, clock: h.clock)
            let consumer = h.billing.customerCreatedConsumer()
            #expect(consumer.types == [CustomerCreated.type])
            #expect(try await processor.process(envelope, with: consumer))
            #expect(try await !processor.process(envelope, with: consumer))
            let opened = try await h.billing.openAccount(customerID: "c-event", userID: "u-event")
            #expect(opened.balance == .rub(0) && opened.available == .rub(0) && !opened.isSuspended)
            #expect(try await h.billing.balance(of: .user("u-event")).customerId == "c-event")
            await #expect(throws: BillingError.conflict(reason: "the customer's account belongs to another user")) {
                _ = try await h.billing.openAccount(customerID: "c-event", userID: "u-other")
            }
            await #expect(throws: BillingError.conflict(reason: "the user has another billing account")) {
                _ = try await h.billing.openAccount(customerID: "c-other", userID: "u-event")
            }
            let limited = try await h.billing.setCreditLimit(customerID: "c-event", creditLimit: .rub(250_00))
            #expect(limited.creditLimit == .rub(250_00) && limited.available == .rub(250_00))
            #expect(try await h.billing.setCreditLimit(customerID: "c-event", creditLimit: nil).creditLimit == .rub(0))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func invoiceEventsFromTheRunDecodeAsTheContractSays(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let tariff = try await h.tariff(price: 620_00)
            for _ in 0..<3 { try await h.subscribe(try await h.customer().customerID, tariff) }
            _ = try await h.run()
            let payloads = try await h.database.query(
                "SELECT id, type, version, occurred_at, payload FROM outbox_events WHERE type = $1", InvoiceCreated.type)
            #expect(payloads.count == 3)
            for row in payloads {
                let envelope = EventEnvelope(
                    id: try row.string("id"), type: try row.string("type"), version: try row.int("version"), occurredAt: try row.date("occurred_at"),
                    payload: try row.string("payload"))
                let event = try envelope.decode(InvoiceCreated.self)
                #expect(event.total == .rub(620_00))
                #expect(event.period == BillingPeriod("2026-12")!)
                #expect(event.dueOn == LocalDate("2026-12-11")!)
                #expect(event.number.hasPrefix("2026-12-00000"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func tariffsKeepTheirPriceHistory(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let tariff = try await h.tariff(price: 620_00)
            let repriced = try await h.billing.setTariffPrice(
                tariffID: tariff.id, monthlyPrice: .rub(690_00), effectiveFrom: LocalDate("2027-01-01")!)
            #expect(repriced.prices.map(\.monthlyPrice) == [.rub(620_00), .rub(690_00)])
            #expect(repriced.currentPrice == .rub(620_00))
            let (customerID, _) = try await h.customer()
            try await h.subscribe(customerID, tariff)
            #expect(try await h.run().totalAmount == .rub(620_00))
            h.move(to: LocalDate("2027-01-01")!)  // a period is billed once it has begun
            #expect(try await h.run("2027-01").totalAmount == .rub(690_00))
            let archived = try await h.billing.archiveTariff(tariffID: tariff.id)
            #expect(archived.isArchived)
            #expect(try await h.billing.tariffs(includeArchived: false).contains { $0.id == tariff.id } == false)
            #expect(try await h.billing.tariffs(includeArchived: true).contains { $0.id == tariff.id })
            await #expect(throws: BillingError.invalidField(field: "tariffId", reason: "the tariff is archived")) {
                try await h.subscribe(customerID, tariff)
            }
            await #expect(throws: BillingError.conflict(reason: "a tariff with code \(tariff.code) exists")) {
                _ = try await h.billing.createTariff(
                    NewTariff(
                        code: tariff.code, nameRu: "x", nameEn: "x", downloadMbps: 1, uploadMbps: 1, vat: .standard, creditLimit: .rub(0),
                        monthlyPrice: .rub(1), effectiveFrom: LocalDate("2026-01-01")!))
            }
        }
    }
}
