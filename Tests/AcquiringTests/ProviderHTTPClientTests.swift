import AcquirerStandins
import Acquiring
import Testing

@Suite struct ProviderHTTPClientTests {
    /// Each call holds one connection for as long as the provider takes to answer; calls beyond the client's connections
    /// per host would wait in its queue, so a slow provider would cap the payments in flight at that number.
    @Test func sixtyFourPaymentsAtOnceAllReachTheProvider() async throws {
        let rig = try await YooKassaRig.start()
        var behaviour = StandinBehaviour()
        behaviour.hang = true
        await rig.standin.control.set(behaviour)
        let provider = YooKassaRig.provider(rig.standin.apiBaseURL, timeout: .seconds(5))
        let payments = 64
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<payments {
                group.addTask { _ = try? await provider.createPayment(YooKassaRig.request(100_00)) }
            }
        }
        #expect(await rig.standin.control.calls["payments.create"] == payments)
        // The hung handlers sleep on, so the server is left to the end of the test process rather than stopped.
    }
}
