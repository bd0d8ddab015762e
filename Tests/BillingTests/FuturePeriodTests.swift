import Billing
import Contracts
import Foundation
import Kernel
import TestSupport
import Testing

/// The monthly run never invoices a period that has not begun in the operator's time zone.
@Suite("Billing the future")
struct FuturePeriodTests {
    @Test(arguments: DatabaseKind.available)
    func nextMonthIsRefusedNamingThePeriodAndChargesNothing(_ kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customer, _) = try await h.customer()
            try await h.subscribe(customer, try await h.tariff(price: 620_00))
            for period in ["2027-01", "2027-12", "2099-01"] {
                await #expect(throws: BillingError.invalidField(field: "period", reason: "must not be after the current period 2026-12")) {
                    try await h.run(period)
                }
                await #expect(throws: BillingError.invalidField(field: "period", reason: "must not be after the current period 2026-12")) {
                    try await h.billing.startBillingRun(period: BillingPeriod(period)!, dryRun: false, by: "operator-1")
                }
            }
            #expect(try await h.billing.invoices(of: .customer(customer), page: PageRequest()).items.isEmpty)
            #expect(try await h.balance(customer) == 0)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theCurrentAndPastPeriodsAndForecastsRun(_ kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customer, _) = try await h.customer()
            try await h.subscribe(customer, try await h.tariff(price: 620_00))
            #expect(try await h.run("2026-11").status == .completed)
            #expect(try await h.run("2026-12").status == .completed)
            let forecast = try await h.run("2027-01", dryRun: true)
            #expect(forecast.status == .completed && forecast.invoicesCreated == 1)
            #expect(try await h.billing.invoices(of: .customer(customer), page: PageRequest()).items.count == 2)
        }
    }

    @Test func theCurrentPeriodFollowsTheOperatorsTimeZone() async throws {
        // 2026-12-31 22:30 UTC is already 2027-01-01 01:30 in Moscow.
        let newYearInMoscow = LocalDate("2026-12-31")!.start(in: TimeZone(identifier: "UTC")!).addingTimeInterval(22.5 * 3600)
        try await BillingHarness.with(.sqlite, start: newYearInMoscow) { h in
            let run = try await h.run("2027-01")
            #expect(run.status == .completed)
            await #expect(throws: BillingError.invalidField(field: "period", reason: "must not be after the current period 2027-01")) {
                try await h.run("2027-02")
            }
        }
    }

    @Test func theTestOverrideAllowsTheFuture() async throws {
        try await BillingHarness.with(.sqlite, configure: { $0.allowsFuturePeriods = true }) { h in
            let run = try await h.run("2027-01")
            #expect(run.status == .completed)
        }
    }
}
