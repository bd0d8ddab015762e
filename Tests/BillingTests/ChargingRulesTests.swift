import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@testable import Billing

/// The rules for days the monthly run cannot see in advance: subscriptions created after their period was run,
/// suspension for debt, price changes inside a period, and refunds of payments made from the balance.
@Suite("Charging rules outside the plain monthly case", .serialized)
struct ChargingRulesTests {
    private let december = BillingPeriod("2026-12")!

    private func charges(_ h: BillingHarness, subscriptionID: String) async throws -> [(period: String, days: Int, amount: Int64)] {
        try await h.database.query(
            "SELECT period, days, amount FROM subscription_charges WHERE subscription_id = $1 ORDER BY period", subscriptionID
        ).map { (try $0.string("period"), try $0.int("days"), try $0.int64("amount")) }
    }

    @Test(arguments: DatabaseKind.available)
    func aSubscriptionCreatedAfterItsPeriodWasRunIsChargedOnceAtCreation(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            // A credit limit above what is charged here, so that no charge suspends anybody.
            let home = try await h.tariff(price: 620_00, creditLimit: 2000_00)
            let (early, _) = try await h.customer()
            try await h.subscribe(early, home)
            #expect(try await h.run().invoicesCreated == 1)

            let (late, _) = try await h.customer()
            let subscription = try await h.subscribe(late, home, from: LocalDate("2026-12-10")!)
            let part = try Proration.prorate(.rub(620_00), from: LocalDate("2026-12-10")!, to: nil, in: december)
            #expect(try await h.balance(late) == -part.minorUnits)
            #expect(try await charges(h, subscriptionID: subscription.id).map(\.days) == [22])
            // A second subscription of an invoiced customer: charged at once, the invoice stays as it was.
            let second = try await h.subscribe(early, home, from: LocalDate("2026-12-16")!)
            let secondPart = try Proration.prorate(.rub(620_00), from: LocalDate("2026-12-16")!, to: nil, in: december)
            #expect(try await h.balance(early) == -secondPart.minorUnits)

            let again = try await h.run()
            #expect(again.invoicesCreated == 0)
            #expect(try await h.balance(late) == -part.minorUnits)
            #expect(try await h.billing.invoices(of: .customer(late), page: PageRequest()).items.isEmpty)
            let invoice = try #require(try await h.billing.invoices(of: .customer(early), page: PageRequest()).items.first)
            #expect(invoice.total == .rub(620_00))

            // The next period is invoiced in full by the run, and nothing is charged twice.
            h.move(to: LocalDate("2027-01-01")!)  // a period is billed once it has begun
            let january = try await h.run("2027-01")
            #expect(january.invoicesCreated == 2)
            #expect(try await h.billing.invoices(of: .customer(late), page: PageRequest()).items.map(\.total) == [.rub(620_00)])
            #expect(try await h.billing.invoices(of: .customer(early), page: PageRequest()).items.first?.total == .rub(1240_00))
            #expect(try await charges(h, subscriptionID: second.id).map(\.period) == ["2026-12"])
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func suspendedDaysAreNotChargedAndResumingChargesTheRestOnce(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, _) = try await h.customer()
            let subscription = try await h.subscribe(customerID, try await h.tariff(price: 620_00), from: LocalDate("2026-11-01")!)
            _ = try await h.run("2026-11")
            // November is overdue on December 1st: the rest moves to the balance, which suspends the subscription.
            #expect(try await h.billing.sweepDebt().overdueInvoices == 1)
            #expect(try await h.balance(customerID) == -620_00)
            #expect(try await h.billing.subscriptions(of: .customer(customerID)).map(\.status) == [.suspended])

            // December's run leaves the suspended days out: no invoice at all.
            let dry = try await h.run(dryRun: true)
            #expect(dry.invoicesCreated == 0)
            #expect(try await h.run().invoicesCreated == 0)

            h.move(to: LocalDate("2026-12-11")!)
            let rest = try Proration.prorate(.rub(620_00), from: LocalDate("2026-12-11")!, to: nil, in: december)
            // Paying the debt alone does not resume: the days ahead would take the balance below the limit again.
            try await h.topUp(customerID, 620_00)
            #expect(try await h.billing.subscriptions(of: .customer(customerID)).map(\.status) == [.suspended])
            try await h.topUp(customerID, rest.minorUnits)
            #expect(try await h.billing.subscriptions(of: .customer(customerID)).map(\.status) == [.active])
            #expect(try await h.balance(customerID) == 0)
            #expect(try await charges(h, subscriptionID: subscription.id).map(\.days) == [21])
            #expect(try await h.run().invoicesCreated == 0)
            #expect(try await h.balance(customerID) == 0)
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aSuspensionAfterTheRunCreditsItsDaysAndTerminationCreditsNothingTwice(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, _) = try await h.customer()
            let subscription = try await h.subscribe(customerID, try await h.tariff(price: 620_00))
            _ = try await h.run()
            h.move(to: LocalDate("2026-12-17")!)
            _ = try await h.billing.sweepDebt()
            let suspended = try Proration.prorate(.rub(620_00), from: LocalDate("2026-12-17")!, to: nil, in: december)
            #expect(try await h.balance(customerID) == -620_00 + suspended.minorUnits)
            // The days after the end were credited by the suspension already.
            _ = try await h.billing.terminateSubscription(subscriptionID: subscription.id, endsOn: LocalDate("2026-12-20")!)
            #expect(try await h.balance(customerID) == -620_00 + suspended.minorUnits)
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aPriceChangeInsideThePeriodAppliesFromItsDay(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let changing = try await h.tariff(price: 600_00)
            let steady = try await h.tariff(price: 620_00)
            _ = try await h.billing.setTariffPrice(tariffID: changing.id, monthlyPrice: .rub(900_00), effectiveFrom: LocalDate("2026-12-16")!)
            let (first, _) = try await h.customer()
            try await h.subscribe(first, changing)
            let (second, _) = try await h.customer()
            try await h.subscribe(second, steady)
            let dry = try await h.run(dryRun: true)
            let run = try await h.run()
            #expect(run.totalAmount == dry.totalAmount)
            let old = try Proration.prorate(.rub(600_00), from: december.firstDay, to: LocalDate("2026-12-16")!, in: december)
            let new = try Proration.prorate(.rub(900_00), from: LocalDate("2026-12-16")!, to: nil, in: december)
            let invoice = try #require(try await h.billing.invoices(of: .customer(first), page: PageRequest()).items.first)
            #expect(invoice.total == (try old + new))
            #expect(invoice.vat.minorUnits == (try old.vatIncluded(at: .standard22)).minorUnits + (try new.vatIncluded(at: .standard22)).minorUnits)
            #expect(try await h.billing.invoices(of: .customer(second), page: PageRequest()).items.first?.total == .rub(620_00))
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func refundingABalancePaymentReversesItsAllocation(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID) = try await h.customer()
            try await h.subscribe(customerID, try await h.tariff(price: 500_00))
            _ = try await h.run()
            try await h.topUp(customerID, 500_00)
            let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)
            let first = try await h.billing.pay(
                of: .user(userID), PaymentOrder(invoiceId: invoice.id, amount: .rub(300_00), method: .balance), idempotency: BillingHarness.token())
            let second = try await h.billing.pay(
                of: .user(userID), PaymentOrder(invoiceId: invoice.id, amount: nil, method: .balance), idempotency: BillingHarness.token())
            #expect(try await h.billing.invoice(id: invoice.id, of: .user(userID)).invoice.status == .paid)
            #expect(try await h.balance(customerID) == 0)

            let refunded = try await h.billing.refund(
                RefundRequest(paymentId: second.id, amount: .rub(200_00), reason: "paid twice by mistake"), by: "operator-1",
                idempotency: BillingHarness.token())
            #expect(refunded.status == .refunded)
            let reopened = try await h.billing.invoice(id: invoice.id, of: .user(userID)).invoice
            #expect(reopened.status == .issued && reopened.amountDue == .rub(200_00))
            #expect(try await h.balance(customerID) == 200_00)
            await #expect(throws: BillingError.conflict(reason: "the payment is not refundable by that amount")) {
                _ = try await h.billing.refund(
                    RefundRequest(paymentId: second.id, amount: .rub(1), reason: "again"), by: "operator-1", idempotency: BillingHarness.token())
            }
            #expect(try await h.expectClean().problems == [])

            // Once overdue, the invoice's rest is debt on the balance and its payments are final.
            h.move(to: LocalDate("2026-12-17")!)
            _ = try await h.billing.sweepDebt()
            await #expect(throws: BillingError.conflict(reason: "the invoice's payments are final (it is overdue)")) {
                _ = try await h.billing.refund(
                    RefundRequest(paymentId: first.id, amount: .rub(100_00), reason: "late"), by: "operator-1", idempotency: BillingHarness.token())
            }
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test func linePricingCutsAtAPriceChangeOfTheTariffInForce() throws {
        let start = LocalDate("2026-01-01")!
        let tariffs = [
            "a": PricedTariff(
                id: "a", nameRu: "А", nameEn: "A", vat: .standard, prices: [(start, 600_00), (LocalDate("2026-12-16")!, 900_00)]),
            "b": PricedTariff(id: "b", nameRu: "Б", nameEn: "B", vat: .standard, prices: [(start, 300_00), (LocalDate("2026-12-05")!, 310_00)]),
        ]
        // On "b" until the 10th, then "a": b's price change on the 5th and a's on the 16th both cut; a's is priced from it.
        let terms = SubscriptionTerms(
            id: "s", customerID: "c", startsOn: start, endsOn: nil, tariffs: [(start, "b"), (LocalDate("2026-12-10")!, "a")], pauses: [])
        let line = try #require(try LinePricing.line(for: terms, in: december, tariffs: tariffs, currency: .rub))
        let pieces = try [
            Proration.prorate(.rub(300_00), from: december.firstDay, to: LocalDate("2026-12-05")!, in: december),
            Proration.prorate(.rub(310_00), from: LocalDate("2026-12-05")!, to: LocalDate("2026-12-10")!, in: december),
            Proration.prorate(.rub(600_00), from: LocalDate("2026-12-10")!, to: LocalDate("2026-12-16")!, in: december),
            Proration.prorate(.rub(900_00), from: LocalDate("2026-12-16")!, to: nil, in: december),
        ]
        #expect(line.amount == pieces.reduce(0) { $0 + $1.minorUnits })
        #expect(line.vat == (try pieces.reduce(0) { $0 + (try $1.vatIncluded(at: .standard22)).minorUnits }))
        #expect(line.days == 31)
    }
}
