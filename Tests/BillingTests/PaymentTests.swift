import Billing
import Contracts
import Foundation
import Kernel
import Storage
import TestSupport
import Testing

@Suite("Provider payments, webhooks and refunds", .serialized)
struct PaymentTests {
    @Test(arguments: DatabaseKind.available)
    func aSignedNotificationPaysTheInvoiceOnceAndRepeatsChangeNothing(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID) = try await h.customer()
            try await h.subscribe(customerID, try await h.tariff(price: 620_00))
            _ = try await h.run()
            let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)
            let payment = try await h.billing.pay(
                of: .user(userID), PaymentOrder(invoiceId: invoice.id, amount: nil, method: .provider, provider: "sandbox"),
                idempotency: BillingHarness.token())
            #expect(payment.status == .pending)
            #expect(payment.confirmationURL == "http://localhost:8080/sandbox/pay/\(payment.id)")
            let page = try await h.billing.sandboxConfirmationPage(paymentID: payment.id, of: .user(userID))
            #expect(page.amount == .rub(620_00) && page.status == .pending)
            let success = try #require(page.notifications[.succeeded])

            await #expect(throws: BillingError.invalidSignature) {
                try await h.billing.handleProviderNotification(provider: "sandbox", body: success.body, signature: String(repeating: "0", count: 64))
            }
            await #expect(throws: BillingError.invalidSignature) {
                try await h.billing.handleProviderNotification(provider: "sandbox", body: success.body + [32], signature: success.signature)
            }
            await #expect(throws: BillingError.invalidSignature) {
                try await h.billing.handleProviderNotification(provider: "sandbox", body: success.body, signature: nil)
            }
            try await h.billing.handleProviderNotification(provider: "sandbox", body: success.body, signature: success.signature)
            try await h.billing.handleProviderNotification(provider: "sandbox", body: success.body, signature: success.signature)
            let failure = try #require(page.notifications[.failed])
            try await h.billing.handleProviderNotification(provider: "sandbox", body: failure.body, signature: failure.signature)

            #expect(try await h.billing.payment(id: payment.id, of: .user(userID)).status == .succeeded)
            #expect(try await h.billing.invoice(id: invoice.id, of: .user(userID)).invoice.status == .paid)
            #expect(try await h.balance(customerID) == 0)
            let types = try await h.outboxTypes()
            #expect(types.filter { $0 == PaymentSucceeded.type }.count == 1)
            #expect(types.filter { $0 == InvoicePaid.type }.count == 1)
            #expect(!types.contains(PaymentFailed.type))
            await #expect(throws: BillingError.invoiceNotPayable(status: "paid")) {
                _ = try await h.billing.pay(
                    of: .user(userID), PaymentOrder(invoiceId: invoice.id, amount: nil, method: .balance), idempotency: BillingHarness.token())
            }
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aDeclinedTopUpMovesNoMoney(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID) = try await h.customer()
            let payment = try await h.billing.pay(
                of: .user(userID), PaymentOrder(invoiceId: nil, amount: .rub(300_00), method: .provider), idempotency: BillingHarness.token())
            let sandbox = SandboxProvider(secret: h.settings.providerSecrets["sandbox"]!, baseURL: h.settings.publicBaseURL)
            let declined = sandbox.signedNotification(paymentID: payment.id, outcome: .failed, amount: .rub(300_00))
            try await h.billing.handleProviderNotification(provider: "sandbox", body: declined.body, signature: declined.signature)
            #expect(try await h.billing.payment(id: payment.id, of: .user(userID)).status == .failed)
            #expect(try await h.balance(customerID) == 0)
            #expect(try await h.outboxTypes().contains(PaymentFailed.type))
            let wrongAmount = sandbox.signedNotification(paymentID: payment.id, outcome: .succeeded, amount: .rub(1))
            await #expect(throws: BillingError.invalidField(field: "amount", reason: "differs from the payment's")) {
                try await h.billing.handleProviderNotification(provider: "sandbox", body: wrongAmount.body, signature: wrongAmount.signature)
            }
            await #expect(throws: BillingError.providerUnavailable(provider: "acme")) {
                _ = try await h.billing.pay(
                    of: .user(userID), PaymentOrder(invoiceId: nil, amount: .rub(1), method: .provider, provider: "acme"),
                    idempotency: BillingHarness.token())
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func refundsReturnMoneyWithinThePaymentAndTheBalance(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, _) = try await h.customer()
            let cash = try await h.topUp(customerID, 1_000_00)
            let partly = try await h.billing.refund(
                RefundRequest(paymentId: cash.id, amount: .rub(400_00), reason: "overpaid"), by: "op", idempotency: BillingHarness.token())
            #expect(partly.status == .partiallyRefunded && partly.refundedAmount == .rub(400_00))
            #expect(try await h.balance(customerID) == 600_00)
            await #expect(throws: BillingError.conflict(reason: "the payment is not refundable by that amount")) {
                _ = try await h.billing.refund(
                    RefundRequest(paymentId: cash.id, amount: .rub(700_00), reason: "again"), by: "op", idempotency: BillingHarness.token())
            }
            let full = try await h.billing.refund(
                RefundRequest(paymentId: cash.id, amount: .rub(600_00), reason: "closing"), by: "op", idempotency: BillingHarness.token())
            #expect(full.status == .refunded)
            #expect(try await h.balance(customerID) == 0)
            #expect(try await h.outboxTypes().filter { $0 == PaymentRefunded.type }.count == 2)
            #expect(try await h.expectClean().problems == [])
        }
    }
}
