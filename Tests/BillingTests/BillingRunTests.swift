import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@testable import Billing

@Suite("The monthly run", .serialized)
struct BillingRunTests {
    /// Twenty customers (three batches of seven): plain ones, one starting mid-month, one ending, one paused across the
    /// month end, one changing tariff inside the month, one with two subscriptions, one exempt from VAT.
    private func populate(_ h: BillingHarness) async throws -> [String] {
        let home = try await h.tariff(price: 620_00)
        let fast = try await h.tariff(price: 930_00)
        let exempt = try await h.tariff(price: 450_00, vat: .exempt)
        var customers: [String] = []
        for index in 0..<20 {
            let (customerID, _) = try await h.customer(String(format: "run-%02d-", index) + UUID().uuidString.prefix(6))
            customers.append(customerID)
            switch index {
            case 1: try await h.subscribe(customerID, home, from: LocalDate("2026-12-10")!)
            case 2:
                let subscription = try await h.subscribe(customerID, home)
                _ = try await h.billing.terminateSubscription(subscriptionID: subscription.id, endsOn: LocalDate("2026-12-20")!)
            case 3:
                let subscription = try await h.subscribe(customerID, home)
                _ = try await h.billing.pause(
                    of: .customer(customerID), SubscriptionPause(subscriptionId: subscription.id, startsOn: LocalDate("2026-12-25")!, days: 11),
                    idempotency: BillingHarness.token())
            case 4:
                let subscription = try await h.subscribe(customerID, home)
                h.move(to: LocalDate("2026-11-20")!)
                defer { h.move(to: LocalDate("2026-12-01")!) }
                _ = try await h.billing.changeTariff(
                    of: .customer(customerID), TariffChange(subscriptionId: subscription.id, tariffId: fast.id, timing: .nextPeriod),
                    idempotency: BillingHarness.token())
            case 5:
                try await h.subscribe(customerID, home)
                try await h.subscribe(customerID, fast, from: LocalDate("2026-12-16")!)
            case 6: try await h.subscribe(customerID, exempt)
            case 7: break
            default: try await h.subscribe(customerID, index % 2 == 0 ? home : fast)
            }
        }
        return customers
    }

    @Test(arguments: DatabaseKind.available)
    func oneInvoicePerCustomerAndASecondRunCreatesNothing(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let customers = try await populate(h)
            let dry = try await h.run(dryRun: true)
            #expect(try await h.database.first("SELECT COUNT(*) AS n FROM invoices")?.int("n") == 0)
            let run = try await h.run()
            #expect(run.status == .completed)
            #expect(run.invoicesCreated == 19)
            #expect(run.totalAmount == dry.totalAmount)
            #expect(run.invoicesCreated == dry.invoicesCreated)
            #expect(run.subscriptionsTotal == 20)
            #expect(run.subscriptionsProcessed == 20)
            let numbers = try await h.database.query("SELECT number FROM invoices ORDER BY number", []).map { try $0.string("number") }
            #expect(numbers == (1...19).map { InvoiceNumber.format(period: BillingPeriod("2026-12")!, sequence: Int64($0)) })
            #expect(try await h.outboxTypes().filter { $0 == InvoiceCreated.type }.count == 19)

            let again = try await h.run()
            #expect(again.invoicesCreated == 0)
            #expect(try await h.database.first("SELECT COUNT(*) AS n FROM invoices")?.int("n") == 19)
            #expect(try await h.outboxTypes().filter { $0 == InvoiceCreated.type }.count == 19)
            #expect(try await h.expectClean().problems == [])

            let lines = try await h.billing.invoice(
                id: try #require(try await h.billing.invoices(of: .customer(customers[1]), page: PageRequest()).items.first).id,
                of: .customer(customers[1]))
            #expect(lines.lines.map(\.days) == [22])
            let expected = try Proration.prorate(.rub(620_00), from: LocalDate("2026-12-10")!, to: nil, in: BillingPeriod("2026-12")!)
            #expect(lines.invoice.total == expected)
            #expect(lines.invoice.vat == (try expected.vatIncluded(at: .standard22)))
            #expect(lines.invoice.dueOn == LocalDate("2026-12-11")!)
            let twoLines = try await h.billing.invoice(
                id: try #require(try await h.billing.invoices(of: .customer(customers[5]), page: PageRequest()).items.first).id,
                of: .customer(customers[5]))
            #expect(twoLines.lines.count == 2)
            let switched = try await h.billing.invoice(
                id: try #require(try await h.billing.invoices(of: .customer(customers[4]), page: PageRequest()).items.first).id,
                of: .customer(customers[4]))
            #expect(switched.invoice.total == .rub(930_00))
            let paused = try #require(try await h.billing.invoices(of: .customer(customers[3]), page: PageRequest()).items.first)
            #expect(paused.total == .rub(480_00))
            let exempt = try #require(try await h.billing.invoices(of: .customer(customers[6]), page: PageRequest()).items.first)
            #expect(exempt.vat == .rub(0))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aResumedRunAfterACrashGivesEveryInvoiceOnce(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            _ = try await populate(h)
            let dry = try await h.run(dryRun: true)
            let crashed = try await h.billing.runBilling(
                period: BillingPeriod("2026-12")!, dryRun: false, by: nil, stopAfterBatches: 1, progress: { _ in })
            #expect(crashed.status == .running)
            let partial = try await h.database.first("SELECT COUNT(*) AS n FROM invoices")?.int("n") ?? 0
            #expect(partial > 0 && partial < 19)
            await #expect(throws: BillingError.runInProgress(runID: crashed.id)) { _ = try await h.run() }
            h.clock.advance(by: h.settings.runLeaseDuration + 1)
            let resumed = try await h.run()
            #expect(resumed.status == .completed)
            #expect(resumed.invoicesCreated == 19 - partial)
            let totals = try #require(try await h.database.first("SELECT COUNT(*) AS n, CAST(SUM(total) AS BIGINT) AS total FROM invoices"))
            #expect(try totals.int("n") == dry.invoicesCreated)
            #expect(try totals.int64("total") == dry.totalAmount.minorUnits)
            let perCustomer = try await h.database.first(
                "SELECT COUNT(*) AS n FROM (SELECT customer_id FROM invoices GROUP BY customer_id, period HAVING COUNT(*) > 1) d")
            #expect(try perCustomer?.int("n") == 0)
            #expect(try await h.billing.billingRun(id: crashed.id).status == .failed)
            #expect(try await h.expectClean().problems == [])
            let runs = try await h.billing.billingRuns(page: PageRequest(limit: 2))
            #expect(runs.items.count == 2)
            let rest = try await h.billing.billingRuns(page: PageRequest(cursor: runs.nextCursor, limit: 10))
            #expect(runs.items.count + rest.items.count == 3)
        }
    }

    @Test func theSchedulerStartsAtMidnightOnTheFirstInMoscow() {
        let lastEvening = LocalDate("2026-12-31")!.start(in: .moscow).addingTimeInterval(23 * 3600 + 59 * 60)
        #expect(MonthlyRunScheduler.nextStart(after: lastEvening, in: .moscow) == LocalDate("2027-01-01")!.start(in: .moscow))
        let midnight = LocalDate("2027-01-01")!.start(in: .moscow)
        #expect(MonthlyRunScheduler.nextStart(after: midnight, in: .moscow) == LocalDate("2027-02-01")!.start(in: .moscow))
        let utc = TimeZone(identifier: "UTC")!
        #expect(MonthlyRunScheduler.nextStart(after: lastEvening, in: utc) == LocalDate("2027-01-01")!.start(in: utc))
    }
}
