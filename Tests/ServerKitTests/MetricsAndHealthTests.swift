import Contracts
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import ServerKit
import Testing

struct DatabaseDown: Error {}

@Suite struct MetricsAndHealthTests {
    func makeServer(checks: [HealthCheck] = []) -> TestServer {
        let server = TestServer(rateLimits: unlimited) { router in
            router.get("/api/v1/auth/sessions/{id}", access: .anonymous, class: .api) { _, _ -> String in "session" }
            router.get("/api/v1/fail", access: .anonymous, class: .api) { _, _ -> String in throw SecretError() }
        }
        HealthRoutes(checks: checks, metrics: server.metrics).register(on: server.secure)
        return server
    }

    @Test func requestsAreLabelledByRouteTemplate() async throws {
        let server = makeServer()
        try await server.application().test(.router) { client in
            _ = try await client.execute(uri: "/api/v1/auth/sessions/abc", method: .get)
            _ = try await client.execute(uri: "/api/v1/auth/sessions/def", method: .get)
            _ = try await client.execute(uri: "/no/such/path", method: .get)
            _ = try await client.execute(uri: "/api/v1/fail", method: .get)
        }
        let text = server.metrics.render()
        #expect(text.contains(#"http_requests_total{method="GET",route="/api/v1/auth/sessions/{id}",status="200"} 2"#))
        #expect(text.contains(#"http_requests_total{method="GET",route="NotFound",status="404"} 1"#))
        #expect(text.contains(#"http_requests_total{method="GET",route="/api/v1/fail",status="500"} 1"#))
        #expect(text.contains(#"http_request_duration_seconds_count{method="GET",route="/api/v1/auth/sessions/{id}",status="200"} 2"#))
        #expect(text.contains("http_request_duration_seconds_bucket{"))
        #expect(!text.contains("abc"))
        #expect(!text.contains("/no/such/path"))
    }

    @Test func thrownErrorsAreCountedWithTheirMappedStatus() async throws {
        let metrics = HTTPMetrics()
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: HTTPMetricsMiddleware(metrics: metrics))
        router.get("/auth") { _, _ -> String in throw Problem.unauthorized() }
        try await Application(router: router).test(.router) { client in
            _ = try await client.execute(uri: "/auth", method: .get)
        }
        #expect(metrics.render().contains(#"http_requests_total{method="GET",route="/auth",status="401"} 1"#))
    }

    @Test func otherModulesShareTheRegistry() {
        let metrics = HTTPMetrics()
        metrics.registry.makeCounter(name: "payments_total", labels: [("result", "ok")]).increment()
        #expect(metrics.render().contains(#"payments_total{result="ok"} 1"#))
    }

    @Test func metricsEndpointForScrapers() async throws {
        let server = makeServer()
        let ip = HTTPField.Name("X-Test-Client-IP")!
        try await server.application().test(.router) { client in
            _ = try await client.execute(uri: "/api/v1/auth/sessions/abc", method: .get)
            let local = try await client.execute(uri: "/metrics", method: .get, headers: [ip: "127.0.0.1"])
            #expect(local.status == .ok)
            #expect(local.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(local.text.contains("http_requests_total{"))
            let remote = try await client.execute(uri: "/metrics", method: .get, headers: [ip: "203.0.113.7"])
            #expect(remote.status == .unauthorized)
            var withToken = bearer("scrape-secret")
            withToken[ip] = "203.0.113.7"
            let response1 = try await client.execute(uri: "/metrics", method: .get, headers: withToken)
            #expect(response1.status == .ok)
        }
    }

    @Test func liveAndReady() async throws {
        let server = makeServer(checks: [HealthCheck("database") {}, HealthCheck("redis") {}])
        try await server.application().test(.router) { client in
            let live = try await client.execute(uri: "/health/live", method: .get)
            #expect(live.status == .ok)
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.headers[.contentType] == "application/json")
            #expect(ready.text == #"{"checks":{"database":"ok","redis":"ok"},"status":"ok"}"#)
        }
    }

    @Test func readyIs503WhenACheckThrows() async throws {
        let server = makeServer(checks: [
            HealthCheck("database") { throw DatabaseDown() }, HealthCheck("redis") {}, HealthCheck("broker") { throw DatabaseDown() },
        ])
        try await server.application().test(.router) { client in
            let live = try await client.execute(uri: "/health/live", method: .get)
            #expect(live.status == .ok)
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.status == .serviceUnavailable)
            let problem = try ready.problem()
            #expect(problem.code == "not-ready")
            #expect(problem.detail == "Failing checks: broker, database")
        }
    }

    @Test func aHungCheckTimesOut() async throws {
        let hung = HealthRoutes(checks: [HealthCheck("slow") { try await Task.sleep(for: .seconds(3600)) }], timeout: .milliseconds(10))
        let failing = await hung.runChecks(logger: .init(label: "test"))
        #expect(failing == ["slow"])
    }

    @Test func healthRoutesAreDeclared() {
        let server = makeServer()
        #expect(server.secure.routeTable[RouteKey(method: .get, path: "/metrics")] == RouteRule(access: .metricsScraper, routeClass: .infrastructure))
        #expect(server.secure.routeTable[RouteKey(method: .get, path: "/health/live")] == RouteRule(access: .anonymous, routeClass: .infrastructure))
        #expect(server.secure.verifyEveryRouteDeclaresAccess() == [])
    }
}
