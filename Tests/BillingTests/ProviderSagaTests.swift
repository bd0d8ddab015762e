import Acquiring
import Billing
import Contracts
import Foundation
import Kernel
import Storage
import Synchronization
import TestSupport
import Testing

/// The sandbox provider with faults switched on by tests: it can fail before a call leaves, fail after doing the
/// work (the answer lost), or refuse; and it notes every call made while a database transaction was open.
final class FaultyProvider: PaymentProvider {
    enum Fault: Sendable { case none, unreachable, afterWork, refuse }

    let inner: SandboxProvider
    let fault = Mutex(Fault.none)
    let callsInsideTransactions = Mutex(0)
    let calls = Mutex(0)

    init(_ inner: SandboxProvider) { self.inner = inner }

    var name: String { inner.name }
    var offer: ProviderOffer { inner.offer }

    private func around<T>(_ body: () async throws(ProviderError) -> T) async throws(ProviderError) -> T {
        calls.withLock { $0 += 1 }
        if OpenTransaction.isOpen { callsInsideTransactions.withLock { $0 += 1 } }
        switch fault.withLock({ $0 }) {
        case .none: return try await body()
        case .unreachable: throw .unreachable("switched off")
        case .refuse: throw .refused(code: "declined", message: "refused by the test")
        case .afterWork:
            _ = try await body()
            throw .outcomeUnknown("the answer was lost")
        }
    }

    func createPayment(_ request: ProviderPaymentRequest) async throws(ProviderError) -> ProviderPayment {
        try await around { () async throws(ProviderError) in try await inner.createPayment(request) }
    }
    func findPayment(_ reference: ProviderPaymentReference) async throws(ProviderError) -> ProviderPayment? {
        try await around { () async throws(ProviderError) in try await inner.findPayment(reference) }
    }
    func cancelPayment(_ reference: ProviderPaymentReference, idempotencyKey: String) async throws(ProviderError) -> ProviderPayment {
        try await around { () async throws(ProviderError) in try await inner.cancelPayment(reference, idempotencyKey: idempotencyKey) }
    }
    func createRefund(_ request: ProviderRefundRequest) async throws(ProviderError) -> ProviderRefund {
        try await around { () async throws(ProviderError) in try await inner.createRefund(request) }
    }
    func findRefund(_ reference: ProviderRefundReference) async throws(ProviderError) -> ProviderRefund? {
        try await around { () async throws(ProviderError) in try await inner.findRefund(reference) }
    }
    func notification(_ notification: ProviderNotification) throws(ProviderError) -> ProviderNotice { try inner.notification(notification) }
    func operations(in interval: DateInterval) async throws(ProviderError) -> [ProviderOperation] {
        try await around { () async throws(ProviderError) in try await inner.operations(in: interval) }
    }
}

@Suite("Provider payments as a saga: faults, retries, reconciliation", .serialized)
struct ProviderSagaTests {
    /// A harness whose sandbox goes through a ``FaultyProvider``.
    static func with(
        _ kind: DatabaseKind, configure: @escaping @Sendable (inout BillingSettings) -> Void = { _ in },
        _ body: @escaping @Sendable (BillingHarness, FaultyProvider) async throws -> Void
    ) async throws {
        let faulty = Mutex<FaultyProvider?>(nil)
        try await BillingHarness.with(
            kind, configure: configure,
            providers: { database, settings, clock in
                let provider = FaultyProvider(
                    SandboxProvider(
                        secret: settings.providerSecrets["sandbox"]!, baseURL: settings.publicBaseURL, database: database, currency: .rub,
                        clock: clock))
                faulty.withLock { $0 = provider }
                return [provider]
            }
        ) { h in
            let provider = try #require(faulty.withLock { $0 })
            try await body(h, provider)
            #expect(provider.callsInsideTransactions.withLock { $0 } == 0, "a provider was called inside a database transaction")
            #expect(try await h.expectClean().problems == [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aLostCreationAnswerIsFoundByTheReconciliationAndPaidOnce(kind: DatabaseKind) async throws {
        try await Self.with(kind) { h, provider in
            let (customerID, userID) = try await h.customer()
            provider.fault.withLock { $0 = .afterWork }
            let key = BillingHarness.token()
            await #expect(throws: BillingError.providerUnavailable(provider: "sandbox")) {
                _ = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 500_00), idempotency: key)
            }
            provider.fault.withLock { $0 = .none }
            #expect(try await h.billing.reconcilePending().looked == 0)
            h.clock.advance(by: 61)
            let report = try await h.billing.reconcilePending()
            #expect(report.looked == 1 && report.unanswered == 0)
            let payment = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 500_00), idempotency: key)
            #expect(payment.status == .pending)
            let token = try #require(BillingHarness.pageToken(payment))
            _ = try await h.billing.decideSandboxPayment(paymentID: payment.id, token: token, succeeded: true)
            _ = try await h.billing.reconcilePending()
            #expect(try await h.balance(customerID) == 500_00)
            #expect(try await h.outboxTypes().filter { $0 == PaymentSucceeded.type }.count == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aProviderThatCannotBeReachedLeavesAPendingPaymentTheRetryFinishes(kind: DatabaseKind) async throws {
        try await Self.with(kind) { h, provider in
            let (_, userID) = try await h.customer()
            provider.fault.withLock { $0 = .unreachable }
            let key = BillingHarness.token()
            await #expect(throws: BillingError.providerUnavailable(provider: "sandbox")) {
                _ = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 100_00), idempotency: key)
            }
            provider.fault.withLock { $0 = .none }
            let first = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 100_00), idempotency: key)
            let again = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 100_00), idempotency: key)
            #expect(first.id == again.id && first.confirmationURL != nil && again.confirmationURL == first.confirmationURL)
            #expect(try await h.outboxTypes().filter { $0 == PaymentCreated.type }.count == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aRefusedPaymentFailsWithTheProvidersReason(kind: DatabaseKind) async throws {
        try await Self.with(kind) { h, provider in
            let (customerID, userID) = try await h.customer()
            provider.fault.withLock { $0 = .refuse }
            let payment = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 100_00), idempotency: BillingHarness.token())
            #expect(payment.status == .failed && payment.failureReason == "declined: refused by the test")
            #expect(try await h.balance(customerID) == 0)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aRefundWhoseAnswerWasLostEndsOnceAfterTheReconciliation(kind: DatabaseKind) async throws {
        try await Self.with(kind) { h, provider in
            let (customerID, userID) = try await h.customer()
            let payment = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 800_00), idempotency: BillingHarness.token())
            _ = try await h.billing.decideSandboxPayment(paymentID: payment.id, token: BillingHarness.pageToken(payment), succeeded: true)
            #expect(try await h.balance(customerID) == 800_00)

            provider.fault.withLock { $0 = .afterWork }
            let key = BillingHarness.token()
            let request = RefundRequest(paymentId: payment.id, amount: .rub(300_00), reason: "overpaid")
            await #expect(throws: BillingError.providerUnavailable(provider: "sandbox")) {
                _ = try await h.billing.refund(request, by: "op", idempotency: key)
            }
            #expect(try await h.balance(customerID) == 500_00)
            await #expect(throws: BillingError.conflict(reason: "the payment is not refundable by that amount")) {
                _ = try await h.billing.refund(
                    RefundRequest(paymentId: payment.id, amount: .rub(600_00), reason: "twice"), by: "op", idempotency: BillingHarness.token())
            }
            provider.fault.withLock { $0 = .none }
            h.clock.advance(by: 61)
            #expect(try await h.billing.reconcilePending().settled == 1)
            _ = try await h.billing.reconcilePending()
            #expect(try await h.billing.refund(request, by: "op", idempotency: key).refundedAmount == .rub(300_00))
            #expect(try await h.outboxTypes().filter { $0 == PaymentRefunded.type }.count == 1)
            #expect(try await h.balance(customerID) == 500_00)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aRefusedRefundPutsTheMoneyBack(kind: DatabaseKind) async throws {
        try await Self.with(kind) { h, provider in
            let (customerID, userID) = try await h.customer()
            let payment = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 800_00), idempotency: BillingHarness.token())
            _ = try await h.billing.decideSandboxPayment(paymentID: payment.id, token: BillingHarness.pageToken(payment), succeeded: true)
            provider.fault.withLock { $0 = .refuse }
            await #expect(throws: BillingError.conflict(reason: "the provider refused the refund: refused by the test")) {
                _ = try await h.billing.refund(
                    RefundRequest(paymentId: payment.id, amount: .rub(800_00), reason: "all"), by: "op", idempotency: BillingHarness.token())
            }
            #expect(try await h.balance(customerID) == 800_00)
            #expect(try await h.billing.payment(id: payment.id, of: .user(userID)).refundedAmount == .rub(0))
            #expect(!(try await h.outboxTypes().contains(PaymentRefunded.type)))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func manyAbandonedPaymentsNeverStarveALostOne(kind: DatabaseKind) async throws {
        try await Self.with(kind, configure: { $0.payments.reconcileBatch = 2 }) { h, provider in
            let (_, userID) = try await h.customer()
            for _ in 0..<4 {
                _ = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 100_00), idempotency: BillingHarness.token())
                h.clock.advance(by: 1)
            }
            provider.fault.withLock { $0 = .afterWork }
            let key = BillingHarness.token()
            await #expect(throws: BillingError.providerUnavailable(provider: "sandbox")) {
                _ = try await h.billing.pay(of: .user(userID), BillingHarness.online(amount: 700_00), idempotency: key)
            }
            provider.fault.withLock { $0 = .none }
            h.clock.advance(by: 61)
            let lost = try #require(try await h.database.query("SELECT id FROM payments WHERE amount = 70000", []).first).string("id")
            for _ in 0..<3 {
                #expect(try await h.billing.reconcilePending().looked == 2)
                h.clock.advance(by: 1)
            }
            #expect(try await h.billing.payment(id: lost, of: .user(userID)).confirmationURL != nil)
        }
    }
}
