import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Ledger under concurrent payments", .serialized)
struct LedgerConcurrencyTests {
    @Test(arguments: DatabaseKind.available)
    func thousandConcurrentPaymentsNeverOverdraw(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID) = try await h.customer()
            let tariff = try await h.tariff(price: 100_000)
            try await h.subscribe(customerID, tariff)
            _ = try await h.run()
            let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)
            #expect(invoice.total == .rub(100_000))
            try await h.topUp(customerID, 50_000)

            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<1000 {
                    group.addTask {
                        do {
                            _ = try await h.billing.pay(
                                of: .user(userID), PaymentOrder(invoiceId: invoice.id, amount: .rub(100), method: .balance),
                                idempotency: BillingHarness.token())
                            return true
                        } catch BillingError.insufficientFunds(let available) {
                            #expect(available == .rub(0))
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 500)
            #expect(try await h.balance(customerID) == 0)
            let lowest = try await h.database.first(
                "SELECT MIN(balance_after) AS lowest FROM ledger_entries WHERE customer_id = $1 AND account = 'customer'", customerID)
            #expect(try lowest?.int64("lowest") == 0)
            let detail = try await h.billing.invoice(id: invoice.id, of: .user(userID))
            #expect(detail.invoice.amountDue == .rub(50_000))
            #expect(detail.paymentIds.count == 500)
            let verification = try await h.expectClean()
            #expect(verification.problems == [])
        }
    }
}
