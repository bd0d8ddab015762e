import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Tariff changes and pauses", .serialized)
struct TariffChangeTests {
    @Test(arguments: DatabaseKind.available)
    func previewEqualsTheChargeMadeTheSameDay(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID) = try await h.customer()
            let home = try await h.tariff(price: 620_00)
            let fast = try await h.tariff(price: 930_00, creditLimit: 300_00)
            let subscription = try await h.subscribe(customerID, home)
            _ = try await h.run()
            try await h.topUp(customerID, 1_000_00)
            h.move(to: LocalDate("2026-12-11")!)
            let change = TariffChange(subscriptionId: subscription.id, tariffId: fast.id, timing: .now)
            let preview = try await h.billing.previewTariffChange(of: .user(userID), change)
            let december = BillingPeriod("2026-12")!
            #expect(preview.effectiveOn == LocalDate("2026-12-11")!)
            #expect(preview.credit == (try Proration.prorate(.rub(620_00), from: LocalDate("2026-12-11")!, to: nil, in: december)))
            #expect(preview.charge == (try Proration.prorate(.rub(930_00), from: LocalDate("2026-12-11")!, to: nil, in: december)))
            #expect(preview.balanceChange == (try preview.credit - preview.charge))
            #expect(preview.newMonthlyPrice == .rub(930_00))
            let before = try await h.balance(customerID)
            let made = try await h.billing.changeTariff(of: .user(userID), change, idempotency: BillingHarness.token())
            #expect(made == preview)
            #expect(try await h.balance(customerID) == before + preview.balanceChange.minorUnits)
            let changed = try await h.billing.subscriptions(of: .user(userID))
            #expect(changed.map(\.tariffId) == [fast.id])
            #expect(try await h.billing.balance(of: .user(userID)).creditLimit == .rub(300_00))
            await #expect(throws: BillingError.invalidField(field: "tariffId", reason: "is the tariff in force")) {
                _ = try await h.billing.previewTariffChange(of: .user(userID), change)
            }
            h.move(to: LocalDate("2027-01-01")!)  // a period is billed once it has begun
            let january = try await h.run("2027-01")
            #expect(january.totalAmount == .rub(930_00))
            #expect(try await h.outboxTypes().contains(TariffChanged.type))
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aChangeForTheNextPeriodChargesNothingNow(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind, configure: { $0.graceDays = 60 }) { h in
            let (customerID, userID) = try await h.customer()
            let home = try await h.tariff(price: 620_00)
            let fast = try await h.tariff(price: 930_00)
            let subscription = try await h.subscribe(customerID, home, from: LocalDate("2026-12-01")!)
            let booked = try await h.billing.changeTariff(
                of: .user(userID), TariffChange(subscriptionId: subscription.id, tariffId: fast.id, timing: .nextPeriod),
                idempotency: BillingHarness.token())
            #expect(booked.credit == .rub(0) && booked.charge == .rub(0))
            #expect(booked.effectiveOn == LocalDate("2027-01-01")!)
            #expect(try await h.billing.subscriptions(of: .user(userID)).first?.nextTariffId == fast.id)
            let december = try await h.run()
            #expect(december.totalAmount == .rub(620_00))
            h.move(to: LocalDate("2027-01-01")!)
            _ = try await h.billing.sweepDebt()
            #expect(try await h.billing.subscriptions(of: .user(userID)).first?.tariffId == fast.id)
            #expect(try await h.run("2027-01").totalAmount == .rub(930_00))
            #expect(try await h.balance(customerID) == 0)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aPauseCreditsInvoicedDaysAndTheNextRunSkipsTheRest(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind, configure: { $0.graceDays = 60 }) { h in
            let (customerID, userID) = try await h.customer()
            let subscription = try await h.subscribe(customerID, try await h.tariff(price: 620_00))
            _ = try await h.run()
            h.move(to: LocalDate("2026-12-25")!)
            let paused = try await h.billing.pause(
                of: .user(userID), SubscriptionPause(subscriptionId: subscription.id, startsOn: h.today, days: 11),
                idempotency: BillingHarness.token())
            #expect(paused.status == .paused)
            #expect(paused.pausedUntil == LocalDate("2027-01-04")!)
            #expect(try await h.balance(customerID) == 140_00)  // 7 of 31 days at 20,00
            await #expect(throws: BillingError.conflict(reason: "the subscription is paused on some of those days")) {
                _ = try await h.billing.pause(
                    of: .user(userID), SubscriptionPause(subscriptionId: subscription.id, startsOn: LocalDate("2027-01-02")!, days: 5),
                    idempotency: BillingHarness.token())
            }
            h.move(to: LocalDate("2027-01-01")!)  // a period is billed once it has begun
            #expect(try await h.run("2027-01").totalAmount == .rub(540_00))
            h.move(to: LocalDate("2027-01-05")!)
            _ = try await h.billing.sweepDebt()
            #expect(try await h.billing.subscriptions(of: .user(userID)).map(\.status) == [.active])
            #expect(try await h.outboxTypes().contains(SubscriptionPaused.type))
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func terminationCreditsInvoicedDaysAfterTheEnd(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, _) = try await h.customer()
            let subscription = try await h.subscribe(customerID, try await h.tariff(price: 620_00))
            _ = try await h.run()
            let ended = try await h.billing.terminateSubscription(subscriptionID: subscription.id, endsOn: LocalDate("2026-12-20")!)
            #expect(ended.status == .terminated && ended.endsOn == LocalDate("2026-12-20")!)
            #expect(try await h.balance(customerID) == 220_00)
            await #expect(throws: BillingError.conflict(reason: "the subscription is terminated already")) {
                _ = try await h.billing.terminateSubscription(subscriptionID: subscription.id, endsOn: LocalDate("2026-12-20")!)
            }
            h.move(to: LocalDate("2027-01-01")!)  // a period is billed once it has begun
            #expect(try await h.run("2027-01").invoicesCreated == 0)
            #expect(try await h.expectClean().problems == [])
        }
    }
}
