import AcquirerStandins
import Acquiring
import Foundation
import Kernel
import Testing

@Suite struct TBankFaultTests {
    @Test func aHangingProviderIsAnUnknownOutcomeWithinTheDeadline() async throws {
        let fixture = try await TBankFixture.start(timeout: .milliseconds(500))
        defer { Task { await fixture.stop() } }
        await fixture.behave { $0.hang = true }
        let clock = ContinuousClock()
        let started = clock.now
        do {
            _ = try await fixture.provider.createPayment(TBankFixture.request())
            Issue.record("a hanging provider answered")
        } catch {
            guard case .outcomeUnknown = error else {
                Issue.record("expected an unknown outcome, got \(error)")
                return
            }
        }
        #expect(clock.now - started < .seconds(30))
    }

    @Test func aClosedPortIsUnreachable() async throws {
        let closed = try await StandinServer.start { baseURL in
            TBankStandin(
                options: StandinOptions(
                    account: TBankFixture.terminalKey, secret: TBankFixture.password, publicBaseURL: baseURL, notificationURL: nil))
        }
        let url = "\(closed.baseURL)/v2"
        await closed.stop()
        let provider = TBankFixture.provider(baseURL: url)
        do {
            _ = try await provider.createPayment(TBankFixture.request())
            Issue.record("a closed port answered")
        } catch {
            guard case .unreachable = error else {
                Issue.record("expected unreachable, got \(error)")
                return
            }
        }
    }

    @Test func aFailedCreationIsAnUnknownOutcomeAndItsRetryMakesOnePayment() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request()
        await fixture.behave { $0.failAfterWork = true }
        do {
            _ = try await fixture.provider.createPayment(request)
            Issue.record("a failing provider answered")
        } catch {
            guard case .outcomeUnknown = error else {
                Issue.record("expected an unknown outcome, got \(error)")
                return
            }
        }
        await fixture.behave { _ in }
        let made = try await fixture.provider.createPayment(request)
        #expect(try await fixture.provider.findPayment(TBankFixture.reference(request, nil))?.providerPaymentID == made.providerPaymentID)
        #expect(try await fixture.provider.createPayment(request).providerPaymentID == made.providerPaymentID)
        #expect(await fixture.standin.control.calls["Init"] == 1)
    }

    @Test func aLostCreationAnswerIsFoundByOurIDAndNotMadeTwice() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request()
        // An Init that T-Bank carried out but whose answer (with T-Bank's PaymentId) never came back.
        await fixture.behave { $0.failAfterWork = true }
        let lostAnswer = try await TBankPaymentTests.signedCall(
            fixture, "Init", ["Amount": 500_00, "OrderId": request.paymentID, "Description": "Пополнение баланса"])
        #expect(lostAnswer["PaymentId"] == nil)
        await fixture.behave { _ in }
        let found = try #require(try await fixture.provider.findPayment(TBankFixture.reference(request, nil)))
        #expect(found.status == .pending)
        #expect(found.paymentID == request.paymentID)
        let retried = try await fixture.provider.createPayment(request)
        #expect(retried.providerPaymentID == found.providerPaymentID)
        #expect(await fixture.standin.control.calls["Init"] == 1)
    }

    @Test func failAfterWorkIsAnUnknownOutcomeAndThePaymentIsThere() async throws {
        let fixture = try await TBankFixture.start()
        defer { Task { await fixture.stop() } }
        let request = TBankFixture.request()
        let created = try await fixture.provider.createPayment(request)
        guard case .redirect(let url) = created.confirmation else {
            Issue.record("no payment page")
            return
        }
        _ = try await fixture.press("pay", on: url)
        await fixture.behave { $0.failAfterWork = true }
        let refund = ProviderRefundRequest(
            refundID: "r", payment: TBankFixture.reference(request, created), idempotencyKey: "refund-after-work", amount: .rub(100_00), receipt: nil)
        do {
            _ = try await fixture.provider.createRefund(refund)
            Issue.record("a failing provider answered")
        } catch {
            guard case .outcomeUnknown = error else {
                Issue.record("expected an unknown outcome, got \(error)")
                return
            }
        }
        await fixture.behave { _ in }
        let reference = ProviderRefundReference(
            refundID: "r", providerRefundID: nil, payment: TBankFixture.reference(request, created), idempotencyKey: "refund-after-work",
            amount: .rub(100_00))
        #expect(try await fixture.provider.findRefund(reference)?.status == .succeeded)
        #expect(await fixture.standin.control.calls["Cancel"] == 2)
        // The refund was made once: 400,00 ₽ are left, so refunding 400,01 ₽ more is refused.
        let more = ProviderRefundRequest(
            refundID: "r2", payment: TBankFixture.reference(request, created), idempotencyKey: "more", amount: .rub(400_01), receipt: nil)
        await #expect(throws: ProviderError.self) { try await fixture.provider.createRefund(more) }
    }
}
