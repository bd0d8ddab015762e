import AcquirerStandins
import Acquiring
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@Suite struct ProviderHTTPClientTests {
    @Test func aCallThatNeverGotAConnectionIsUnreachable() async throws {
        let rig = try await YooKassaRig.start()
        var behaviour = StandinBehaviour()
        behaviour.hang = true
        await rig.standin.control.set(behaviour)
        // One connection per host: the second call waits for the first, which hangs, past the connect deadline.
        var configuration = ProviderHTTPClient.configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1
        configuration.timeout.connect = .milliseconds(300)
        // One event loop: with several, the pool may open a connection beyond its soft limit for a request that prefers
        // another loop, and the second call would then hang like the first instead of waiting for the pool.
        let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = HTTPClient(eventLoopGroup: loop, configuration: configuration)
        // The call's deadline far beyond the pool's wait for a connection, so that on a starved machine (CI saw the 3 s
        // deadline fire first) only the pool's timer can end the second call.
        let http = ProviderHTTPClient(client: client, timeout: .seconds(60))
        let url = rig.standin.apiBaseURL + "/payments"
        let hanging = Task { try await http.send(.GET, url) }
        // The second call must find the only connection taken: wait until the stand-in holds the first.
        for _ in 0..<500 where await rig.standin.control.calls.values.reduce(0, +) == 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        await #expect {
            _ = try await http.send(.GET, url)
        } throws: { error in
            // Nothing of it left this process: safe to send again, or to fail, without asking the provider.
            guard case .unreachable = error as? ProviderError else { return false }
            return true
        }
        hanging.cancel()
        _ = await hanging.result
        try await client.shutdown()
        try await loop.shutdownGracefully()
        // The hung handler sleeps on, so the server is left to the end of the test process rather than stopped.
    }
}
