import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Object-level authorization", .serialized)
struct AuthorizationTests {
    @Test(arguments: DatabaseKind.available)
    func aCustomerNeverReachesAnotherCustomersObjects(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let tariff = try await h.tariff(price: 500_00)
            let other = try await h.tariff(price: 700_00)
            let (a, userA) = try await h.customer()
            let (b, userB) = try await h.customer()
            try await h.subscribe(a, tariff)
            let subscriptionB = try await h.subscribe(b, tariff)
            _ = try await h.run()
            let invoiceB = try #require(try await h.billing.invoices(of: .user(userB), page: PageRequest()).items.first)
            let paymentB = try await h.topUp(b, 100_00)
            try await h.topUp(a, 1_000_00)
            let me = AccountOwner.user(userA)

            await #expect(throws: BillingError.notFound) { _ = try await h.billing.invoice(id: invoiceB.id, of: me) }
            await #expect(throws: BillingError.notFound) { _ = try await h.billing.payment(id: paymentB.id, of: me) }
            await #expect(throws: BillingError.notFound) {
                _ = try await h.billing.pay(
                    of: me, PaymentOrder(invoiceId: invoiceB.id, amount: nil, method: .balance), idempotency: BillingHarness.token())
            }
            await #expect(throws: BillingError.notFound) {
                _ = try await h.billing.pay(
                    of: me, PaymentOrder(invoiceId: invoiceB.id, amount: nil, method: .provider, provider: "sandbox"),
                    idempotency: BillingHarness.token())
            }
            let change = TariffChange(subscriptionId: subscriptionB.id, tariffId: other.id, timing: .now)
            await #expect(throws: BillingError.notFound) { _ = try await h.billing.previewTariffChange(of: me, change) }
            await #expect(throws: BillingError.notFound) { _ = try await h.billing.changeTariff(of: me, change, idempotency: BillingHarness.token()) }
            await #expect(throws: BillingError.notFound) {
                _ = try await h.billing.pause(
                    of: me, SubscriptionPause(subscriptionId: subscriptionB.id, startsOn: h.today, days: 3), idempotency: BillingHarness.token())
            }
            await #expect(throws: BillingError.notFound) { _ = try await h.billing.sandboxPage(paymentID: paymentB.id, token: nil) }
            #expect(try await h.billing.subscriptions(of: me).map(\.customerId) == [a])
            #expect(try await h.billing.invoices(of: me, page: PageRequest()).items.allSatisfy { $0.customerId == a })
            #expect(try await h.billing.balance(of: me).customerId == a)
            #expect(try await h.balance(b) == 100_00)
            #expect(try await h.billing.invoice(id: invoiceB.id, of: .user(userB)).invoice.amountDue == invoiceB.total)

            let stranger = AccountOwner.user("nobody")
            await #expect(throws: BillingError.notFound) { _ = try await h.billing.balance(of: stranger) }
            await #expect(throws: BillingError.notFound) { _ = try await h.billing.transactions(of: stranger, page: PageRequest()) }
            await #expect(throws: BillingError.notFound) { _ = try await h.billing.invoices(of: stranger, page: PageRequest()) }
            await #expect(throws: BillingError.notFound) { _ = try await h.billing.subscriptions(of: stranger) }
            await #expect(throws: BillingError.notFound) { _ = try await h.billing.promisedPaymentOffer(of: stranger) }
            await #expect(throws: BillingError.notFound) {
                _ = try await h.billing.takePromisedPayment(of: stranger, amount: .rub(100), idempotency: BillingHarness.token())
            }
            await #expect(throws: BillingError.notFound) { try await h.billing.setLocale(of: stranger, locale: "en") }
        }
    }
}
