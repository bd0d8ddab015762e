import AcquirerStandins
import Acquiring
import Foundation
import Kernel
import Testing

@Suite struct YooKassaFaultTests {
    @Test func aHangingYooKassaIsAnUnknownOutcomeWithinTheDeadline() async throws {
        let rig = try await YooKassaRig.start()
        var behaviour = StandinBehaviour()
        behaviour.hang = true
        await rig.standin.control.set(behaviour)
        let provider = YooKassaRig.provider(rig.standin.apiBaseURL, timeout: .milliseconds(300))
        let clock = ContinuousClock()
        let started = clock.now
        await #expect {
            _ = try await provider.createPayment(YooKassaRig.request(100_00))
        } throws: { error in
            guard case .outcomeUnknown = error as? ProviderError else { return false }
            return true
        }
        // The hang lasts an hour; the call gave up long before.
        #expect(clock.now - started < .seconds(30))
        // The hung handler sleeps on, so the server is left to the end of the test process rather than stopped.
    }

    @Test func aClosedPortIsUnreachable() async throws {
        let provider = YooKassaRig.provider("http://127.0.0.1:1/v3")
        await #expect {
            _ = try await provider.createPayment(YooKassaRig.request(100_00))
        } throws: { error in
            guard case .unreachable = error as? ProviderError else { return false }
            return true
        }
    }

    @Test func manyPaymentsAtOnceThroughASlowYooKassaAllGoThrough() async throws {
        let rig = try await YooKassaRig.start(timeout: .seconds(30))
        var behaviour = StandinBehaviour()
        behaviour.latencyMilliseconds = 1000
        await rig.standin.control.set(behaviour)
        // Each call holds its connection for a second: with a few connections per host the later calls would queue
        // for longer than the client's connection deadline and fail without ever leaving.
        let count = 64
        let created = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<count {
                group.addTask { try await rig.provider.createPayment(YooKassaRig.request(Int64(100_00 + index))).providerPaymentID }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(created.count == count)
        await rig.stop()
    }

    @Test func aFailureAfterTheWorkIsAnUnknownOutcomeAndThePaymentIsFoundByOurID() async throws {
        let rig = try await YooKassaRig.start()
        var behaviour = StandinBehaviour()
        behaviour.failAfterWork = true
        await rig.standin.control.set(behaviour)
        let request = YooKassaRig.request(4321_09)
        let sent = Date()
        await #expect {
            _ = try await rig.provider.createPayment(request)
        } throws: { error in
            guard case .outcomeUnknown = error as? ProviderError else { return false }
            return true
        }
        await rig.standin.control.set(StandinBehaviour())
        // The creation's answer was lost: no provider id is known, only ours.
        let found = try #require(try await rig.provider.findPayment(YooKassaRig.reference(request, providerID: nil, at: sent)))
        #expect(found.paymentID == request.paymentID)
        #expect(found.amount == .rub(4321_09))
        #expect(found.status == .pending)
        // Repeating the creation with its key answers the same payment rather than making a second one.
        #expect(try await rig.provider.createPayment(request).providerPaymentID == found.providerPaymentID)
        await rig.stop()
    }

    @Test func aKeyReusedForAnotherRequestIsAnUnknownOutcomeAndTheFirstPaymentIsFound() async throws {
        let rig = try await YooKassaRig.start()
        let first = YooKassaRig.request(100_00)
        let created = try await rig.provider.createPayment(first)
        var changed = first
        changed.amount = .rub(200_00)
        changed.receipt = YooKassaRig.receipt(200_00)
        await #expect {
            _ = try await rig.provider.createPayment(changed)
        } throws: { error in
            guard case .outcomeUnknown = error as? ProviderError else { return false }
            return true
        }
        #expect(try await rig.provider.findPayment(YooKassaRig.reference(first, providerID: nil))?.providerPaymentID == created.providerPaymentID)
        var tooLong = first
        tooLong.idempotencyKey = String(repeating: "k", count: 65)
        await #expect(throws: ProviderError.refused(code: "idempotence_key", message: "YooKassa takes idempotence keys of 1 to 64 characters")) {
            _ = try await rig.provider.createPayment(tooLong)
        }
        await rig.stop()
    }

    @Test func aRefundWhoseAnswerWasLostIsFoundByOurIDs() async throws {
        let rig = try await YooKassaRig.start()
        let payment = YooKassaRig.request(900_00)
        let created = try await rig.provider.createPayment(payment)
        _ = try await YooKassaRig.act("pay", on: try #require(YooKassaRig.pageURL(created)))
        var behaviour = StandinBehaviour()
        behaviour.failAfterWork = true
        await rig.standin.control.set(behaviour)
        let request = ProviderRefundRequest(
            refundID: "lost", payment: YooKassaRig.reference(payment, providerID: created.providerPaymentID), idempotencyKey: "lost",
            amount: .rub(900_00), receipt: nil)
        await #expect(throws: ProviderError.self) { _ = try await rig.provider.createRefund(request) }
        await rig.standin.control.set(StandinBehaviour())
        let found = try #require(
            try await rig.provider.findRefund(
                ProviderRefundReference(
                    refundID: "lost", providerRefundID: nil, payment: YooKassaRig.reference(payment, providerID: nil), idempotencyKey: "lost",
                    amount: .rub(900_00))))
        #expect(found.status == .succeeded)
        #expect(found.amount == .rub(900_00))
        await rig.stop()
    }
}
