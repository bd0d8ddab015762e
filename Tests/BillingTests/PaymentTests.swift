import Acquiring
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
    func theSandboxPageConfirmsAnInvoicePaymentOnceForThePayerOnly(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (customerID, userID) = try await h.customer()
            try await h.subscribe(customerID, try await h.tariff(price: 620_00))
            _ = try await h.run()
            let invoice = try #require(try await h.billing.invoices(of: .user(userID), page: PageRequest()).items.first)
            let payment = try await h.billing.pay(of: .user(userID), BillingHarness.online(invoice: invoice.id), idempotency: BillingHarness.token())
            #expect(payment.status == .pending)
            let token = try #require(BillingHarness.pageToken(payment))
            #expect(payment.confirmationURL == "http://localhost:8080/sandbox/pay/\(payment.id)?token=\(token)")
            for wrong in [nil, "", String(repeating: "0", count: 64)] {
                await #expect(throws: BillingError.notFound) { _ = try await h.billing.sandboxPage(paymentID: payment.id, token: wrong) }
                await #expect(throws: BillingError.notFound) {
                    _ = try await h.billing.decideSandboxPayment(paymentID: payment.id, token: wrong, succeeded: true)
                }
            }
            let page = try await h.billing.sandboxPage(paymentID: payment.id, token: token)
            #expect(page.amount == .rub(620_00) && page.status == .pending)

            let forged = ProviderNotificationInput(
                provider: "sandbox", body: Array(#"{"paymentId":"\#(payment.id)"}"#.utf8),
                headers: ["x-sandbox-signature": String(repeating: "0", count: 64)])
            await #expect(throws: BillingError.invalidSignature) { _ = try await h.billing.handleProviderNotification(forged) }
            #expect(try await h.billing.decideSandboxPayment(paymentID: payment.id, token: token, succeeded: true).status == .succeeded)
            #expect(try await h.billing.decideSandboxPayment(paymentID: payment.id, token: token, succeeded: false).status == .succeeded)

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
            let payment = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 300_00), idempotency: BillingHarness.token())
            let token = BillingHarness.pageToken(payment)
            #expect(try await h.billing.decideSandboxPayment(paymentID: payment.id, token: token, succeeded: false).status == .failed)
            #expect(try await h.billing.payment(id: payment.id, of: .user(userID)).status == .failed)
            #expect(try await h.balance(customerID) == 0)
            #expect(try await h.outboxTypes().contains(PaymentFailed.type))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aRefusalBeforeTheRequestStartsStoresNothingUnderItsKey(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (_, userID) = try await h.customer()
            let key = BillingHarness.token()
            await #expect(throws: BillingError.invalidField(field: "provider", reason: "must be one of [\"sandbox\"]")) {
                _ = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 100, provider: "acme"), idempotency: key)
            }
            await #expect(throws: BillingError.invalidField(field: "returnURL", reason: "must be an http(s) URL of at most 2048 bytes")) {
                var order = BillingHarness.online(amount: 100)
                order.returnURL = "javascript:alert(1)"
                _ = try await h.billing.pay(of: .user(userID), order, idempotency: key)
            }
            let payment = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 100), idempotency: key)
            #expect(payment.status == .pending && payment.confirmationURL != nil)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aProviderPaymentNeedsAReceiptContact(kind: DatabaseKind) async throws {
        try await BillingHarness.with(kind) { h in
            let (_, userID) = try await h.customer()
            var order = BillingHarness.online(amount: 100)
            order.receiptEmail = nil
            await #expect(throws: BillingError.invalidField(field: "receiptEmail", reason: "a fiscal receipt needs the customer's e-mail or phone")) {
                _ = try await h.billing.pay(of: .user(userID), order, idempotency: BillingHarness.token())
            }
            _ = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 100), idempotency: BillingHarness.token())
            #expect(try await h.billing.pay(of: .user(userID), order, idempotency: BillingHarness.token()).status == .pending)
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
