import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Idempotency keys on money-moving calls", .serialized)
struct IdempotencyTests {
    @Test(arguments: DatabaseKind.available)
    func replayGivesTheFirstAnswerAndMovesMoneyOnce(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID) = try await h.customer()
            let token = BillingHarness.token("key-1", fingerprint: "top-up 100")
            let order = BillingHarness.online(amount: 10_000)
            let first = try await h.billing.pay(of: .user(userID), order, idempotency: token)
            let second = try await h.billing.pay(of: .user(userID), order, idempotency: token)
            #expect(first == second)
            let manual = ManualPayment(customerId: customerID, amount: .rub(500), method: .cash, reference: "R-1")
            let cash = BillingHarness.token("cash-1")
            let paid = try await h.billing.recordPayment(manual, by: "op", idempotency: cash)
            #expect(try await h.billing.recordPayment(manual, by: "op", idempotency: cash) == paid)
            #expect(try await h.balance(customerID) == 500)
            #expect(try await h.database.first("SELECT COUNT(*) AS n FROM payments")?.int("n") == 2)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func refusalsAreReplayedToo(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID) = try await h.customer()
            try await h.subscribe(customerID, try await h.tariff(price: 1_000))
            _ = try await h.run()
            let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)
            let token = BillingHarness.token("pay-1", fingerprint: "pay invoice")
            let order = PaymentOrder(invoiceId: invoice.id, amount: nil, method: .balance)
            await #expect(throws: BillingError.insufficientFunds(available: .rub(0))) {
                _ = try await h.billing.pay(of: .user(userID), order, idempotency: token)
            }
            try await h.topUp(customerID, 5_000)
            await #expect(throws: BillingError.insufficientFunds(available: .rub(0))) {
                _ = try await h.billing.pay(of: .user(userID), order, idempotency: token)
            }
            #expect(try await h.balance(customerID) == 5_000)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func sameKeyWithAnotherBodyIsRefused(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, _) = try await h.customer()
            let manual = ManualPayment(customerId: customerID, amount: .rub(500), method: .cash, reference: nil)
            _ = try await h.billing.recordPayment(manual, by: "op", idempotency: BillingHarness.token("k", fingerprint: "a"))
            await #expect(throws: BillingError.idempotencyKeyReused) {
                _ = try await h.billing.recordPayment(manual, by: "op", idempotency: BillingHarness.token("k", fingerprint: "b"))
            }
            // Keys are scoped per caller: another operator's same key is a new request.
            _ = try await h.billing.recordPayment(manual, by: "op-2", idempotency: BillingHarness.token("k", fingerprint: "b"))
            #expect(try await h.balance(customerID) == 1_000)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func concurrentDuplicatesRunOnce(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, _) = try await h.customer()
            let manual = ManualPayment(customerId: customerID, amount: .rub(700), method: .bankTransfer, reference: nil)
            let token = BillingHarness.token("dup", fingerprint: "same")
            let results = try await withThrowingTaskGroup(of: Payment?.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        do {
                            return try await h.billing.recordPayment(manual, by: "op", idempotency: token)
                        } catch BillingError.idempotencyKeyInProgress {
                            return nil
                        }
                    }
                }
                return try await group.reduce(into: [Payment?]()) { $0.append($1) }
            }
            let answered = results.compactMap { $0 }
            #expect(!answered.isEmpty)
            #expect(Set(answered.map(\.id)).count == 1)
            #expect(try await h.balance(customerID) == 700)
            #expect(try await h.billing.recordPayment(manual, by: "op", idempotency: token).id == answered[0].id)
        }
    }
}
