import AcquirerStandins
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite struct StandinBehaviourTests {
    /// Posts `body` to the stand-in's behaviour route; answers the status code.
    private func post(_ body: String, to server: StandinServer) async throws -> UInt {
        var request = HTTPClientRequest(url: server.baseURL + "/standin/behaviour")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await YooKassaRig.client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status.code
    }

    @Test func aBehaviourNamingOneSwitchLeavesTheOthersAtTheirDefaults() async throws {
        let rig = try await YooKassaRig.start()
        #expect(try await post(#"{"latencyMilliseconds": 25}"#, to: rig.server) == 204)
        var expected = StandinBehaviour()
        expected.latencyMilliseconds = 25
        #expect(await rig.standin.control.behaviour == expected)

        #expect(try await post(#"{"failAfterWork": true}"#, to: rig.server) == 204)
        expected = StandinBehaviour()
        expected.failAfterWork = true
        #expect(await rig.standin.control.behaviour == expected)

        #expect(try await post("{}", to: rig.server) == 204)
        #expect(await rig.standin.control.behaviour == StandinBehaviour())
        await rig.stop()
    }

    @Test func aBehaviourOfTheWrongTypeIsRefused() async throws {
        let rig = try await YooKassaRig.start()
        #expect(try await post(#"{"latencyMilliseconds": "slow"}"#, to: rig.server) == 400)
        #expect(await rig.standin.control.behaviour == StandinBehaviour())
        await rig.stop()
    }
}
