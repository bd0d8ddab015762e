import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServerKit
import Testing

/// A check that is not required (the broker) reports `down` while the process stays ready.
@Suite struct OptionalHealthCheckTests {
    func makeServer(checks: [HealthCheck]) -> TestServer {
        let server = TestServer(rateLimits: unlimited) { _ in }
        HealthRoutes(checks: checks, metrics: server.metrics).register(on: server.secure)
        return server
    }

    @Test func aFailingOptionalCheckLeavesTheProcessReadyButDegraded() async throws {
        let server = makeServer(checks: [HealthCheck("database") {}, HealthCheck("broker", required: false) { throw DatabaseDown() }])
        try await server.application().test(.router) { client in
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.text == #"{"checks":{"broker":"down","database":"ok"},"status":"degraded"}"#)
        }
    }

    @Test func aPassingOptionalCheckIsOk() async throws {
        let server = makeServer(checks: [HealthCheck("database") {}, HealthCheck("broker", required: false) {}])
        try await server.application().test(.router) { client in
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.text == #"{"checks":{"broker":"ok","database":"ok"},"status":"ok"}"#)
        }
    }

    @Test func aFailingRequiredCheckStillMakesItUnreadyAndNamesOnlyThat() async throws {
        let server = makeServer(checks: [
            HealthCheck("database") { throw DatabaseDown() }, HealthCheck("broker", required: false) { throw DatabaseDown() },
        ])
        try await server.application().test(.router) { client in
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(try ready.problem().detail == "Failing checks: database")
        }
    }
}
