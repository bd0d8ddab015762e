import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Debt, suspension and promised payments", .serialized)
struct DebtTests {
    @Test(arguments: DatabaseKind.available)
    func overdueInvoicesSuspendAndAPaymentResumesAtOnce(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID) = try await h.customer()
            let subscription = try await h.subscribe(customerID, try await h.tariff(price: 600_00, creditLimit: 100_00))
            _ = try await h.run()
            #expect(try await h.billing.balance(of: .user(userID)).creditLimit == .rub(100_00))
            h.move(to: LocalDate("2026-12-16")!)
            #expect(try await h.billing.sweepDebt().overdueInvoices == 0)
            h.move(to: LocalDate("2026-12-17")!)
            let report = try await h.billing.sweepDebt()
            #expect(report.overdueInvoices == 1)
            let balance = try await h.billing.balance(of: .user(userID))
            // Suspended from the 17th: the invoice's days from then on are credited back.
            let suspendedDays = try Proration.prorate(.rub(600_00), from: LocalDate("2026-12-17")!, to: nil, in: BillingPeriod("2026-12")!)
            #expect(balance.balance.minorUnits == -600_00 + suspendedDays.minorUnits)
            #expect(balance.isSuspended)
            #expect(try await h.billing.subscriptions(of: .user(userID)).map(\.status) == [.suspended])
            #expect(try await h.billing.sweepDebt() == DebtSweepReport())
            let debtors = try await h.billing.debtors(page: PageRequest())
            #expect(debtors.items.map(\.customerId) == [customerID])
            #expect(debtors.items.first?.overdueInvoices == 1)
            #expect(debtors.items.first?.oldestDueOn == LocalDate("2026-12-11")!)

            try await h.topUp(customerID, 500_01)
            #expect(try await h.billing.subscriptions(of: .user(userID)).map(\.status) == [.active])
            let types = try await h.outboxTypes()
            #expect(types.filter { $0 == InvoiceOverdue.type }.count == 1)
            #expect(types.filter { $0 == SubscriptionSuspended.type }.count == 1)
            #expect(types.last == SubscriptionResumed.type)
            #expect(subscription.status == .active)
            // Resuming charges the days from today on again; the balance covers them within the credit limit.
            let statement = try await h.billing.transactions(of: .user(userID), page: PageRequest(limit: 1))
            #expect(statement.items.first?.balanceAfter == .rub(-99_99))
            #expect(statement.items.first?.kind == .charge)
            #expect(statement.items.first?.amount == .rub(-suspendedDays.minorUnits))
            let older = try await h.billing.transactions(of: .user(userID), page: PageRequest(cursor: statement.nextCursor))
            #expect(older.items.map(\.kind) == [.payment, .credit, .charge])
            #expect(older.items.last?.description.hasPrefix("Просроченный счёт") == true)
            try await h.billing.setLocale(of: .user(userID), locale: "en")
            #expect(
                try await h.billing.transactions(of: .user(userID), page: PageRequest()).items.last?.description.hasPrefix("Overdue invoice") == true)
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func promisedPaymentRulesAndExpiry(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID) = try await h.customer()
            let me = AccountOwner.user(userID)
            #expect(try await h.billing.promisedPaymentOffer(of: me).reason == "not-needed")
            try await h.subscribe(customerID, try await h.tariff(price: 400_00))
            _ = try await h.run()
            h.move(to: LocalDate("2026-12-20")!)
            _ = try await h.billing.sweepDebt()
            #expect(try await h.billing.balance(of: me).isSuspended)

            let offer = try await h.billing.promisedPaymentOffer(of: me)
            #expect(offer.isAvailable && offer.maximumAmount == .rub(500_00) && offer.days == 3)
            await #expect(throws: BillingError.promisedPaymentRefused(reason: "amount")) {
                _ = try await h.billing.takePromisedPayment(of: me, amount: .rub(500_01), idempotency: BillingHarness.token())
            }
            let key = BillingHarness.token()
            let promised = try await h.billing.takePromisedPayment(of: me, amount: .rub(500_00), idempotency: key)
            #expect(try await h.billing.takePromisedPayment(of: me, amount: .rub(500_00), idempotency: key) == promised)
            var balance = try await h.billing.balance(of: me)
            #expect(balance.balance == .rub(100_00))
            #expect(balance.promisedCredit == .rub(500_00))
            #expect(!balance.isSuspended, "a promised payment lifts the suspension at once")
            await #expect(throws: BillingError.promisedPaymentRefused(reason: "open")) {
                _ = try await h.billing.takePromisedPayment(of: me, amount: .rub(100), idempotency: BillingHarness.token())
            }

            h.clock.advance(by: 3 * 86_400)
            #expect(try await h.billing.sweepDebt().expiredPromisedPayments == 1)
            balance = try await h.billing.balance(of: me)
            let suspendedDays = try Proration.prorate(.rub(400_00), from: LocalDate("2026-12-23")!, to: nil, in: BillingPeriod("2026-12")!)
            #expect(balance.balance.minorUnits == -400_00 + suspendedDays.minorUnits)
            #expect(balance.promisedCredit == .rub(0))
            #expect(balance.isSuspended, "still in debt when it expires: suspended again")
            #expect(try await h.billing.promisedPaymentOffer(of: me).reason == "too-soon")
            await #expect(throws: BillingError.promisedPaymentRefused(reason: "too-soon")) {
                _ = try await h.billing.takePromisedPayment(of: me, amount: .rub(100), idempotency: BillingHarness.token())
            }
            h.clock.advance(by: 27 * 86_400)
            #expect(try await h.billing.promisedPaymentOffer(of: me).isAvailable)
            let types = try await h.outboxTypes()
            #expect(types.filter { $0 == PromisedPaymentTaken.type }.count == 1)
            #expect(types.filter { $0 == PromisedPaymentExpired.type }.count == 1)
            #expect(types.filter { $0 == SubscriptionResumed.type }.count == 1)
            #expect(types.filter { $0 == SubscriptionSuspended.type }.count == 2)
            #expect(try await h.expectClean().problems == [])
        }
    }
}
