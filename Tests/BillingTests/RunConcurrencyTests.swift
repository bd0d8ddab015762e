import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("The monthly run against changes committed while it runs")
struct RunConcurrencyTests {
    static let cases: [(DatabaseKind, Int)] = DatabaseKind.available.flatMap { kind in [(kind, 1), (kind, 2)] }

    /// A pause is committed while the run is under way: whichever goes first, the customer pays for the unpaused
    /// days once. Without the batch's account locks the run would bill the whole month from a snapshot taken before
    /// the pause, and the pause, seeing no invoice yet, would credit nothing.
    @Test(arguments: cases)
    func aPauseCommittedDuringTheRunIsBilledOnce(kind: DatabaseKind, parallel: Int) async throws {
        try await BillingHarness.with(kind, configure: { $0.runParallelBatches = parallel }) { h in
            let tariff = try await h.tariff(price: 31_000)
            var customers: [String] = []
            for _ in 0..<10 {
                let customer = try await h.customer()
                try await h.subscribe(customer.customerID, tariff)
                customers.append(customer.customerID)
            }
            let target = customers[4]
            let subscription = try #require(try await h.billing.subscriptions(of: .customer(target)).first)
            let (pause, runner) = try await h.database.transaction { tx in
                // This transaction writes the customer's account and holds it until it commits: the pause waits for
                // it, then the run, which finds the pause committed while it waited.
                try await tx.query("UPDATE billing_accounts SET balance = balance WHERE customer_id = $1", target)
                let pause = Task.detached {
                    try await h.billing.pause(
                        of: .customer(target), SubscriptionPause(subscriptionId: subscription.id, startsOn: h.today, days: 10),
                        idempotency: BillingHarness.token())
                }
                try await Task.sleep(for: .milliseconds(200))
                let runner = Task.detached { try await h.run() }
                try await Task.sleep(for: .milliseconds(500))
                return (pause, runner)
            }
            _ = try await pause.value
            /// What December costs the customer: the invoice less the credit on the balance.
            func net(_ customerID: String) async throws -> Int64 {
                let invoices = try await h.billing.invoices(of: .customer(customerID), page: PageRequest()).items
                return invoices.reduce(0) { $0 + $1.total.minorUnits } - (try await h.balance(customerID))
            }
            let run = try await runner.value
            #expect(run.status == .completed)
            #expect(run.invoicesCreated == 10)
            // 21 of December's 31 days at 310 ₽ a month: billed so, or billed in full and 10 days credited back.
            #expect(try await net(target) == 21_000)
            for other in customers where other != target { #expect(try await net(other) == 31_000) }
            #expect(try await h.expectClean().isClean)
        }
    }
}
