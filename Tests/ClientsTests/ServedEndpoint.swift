import AsyncHTTPClient
import Clients
import Hummingbird
import HummingbirdTesting
import ServerKit
import TestSupport
import Testing

/// How a contract test reaches a service: the local object, or the client over the served internal API.
enum Mode: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case local
    case remote

    var testDescription: String { rawValue }
}

/// Serves one service's internal routes on a live loopback server, the way a service process does, and hands a
/// contract test the API in the mode it asks for.
enum ServedEndpoint {
    /// The installation's service keys, one for the whole test run.
    static let keys = ServiceKeysFixture()

    /// Runs `body` with `local` itself, or with the client `client` makes over `service`'s routes (put on the router
    /// by `routes`) served on a live server; the base URL is given in remote mode only.
    static func with<API: Sendable>(
        _ mode: Mode, local: API, service: String, routes: @escaping @Sendable (SecureRouter) -> Void,
        client: @escaping @Sendable (RemoteService) -> API, _ body: @escaping @Sendable (API, String?) async throws -> Void
    ) async throws {
        switch mode {
        case .local:
            try await body(local, nil)
        case .remote:
            try await serve(service: service, routes: routes) { remote, baseURL in try await body(client(remote), baseURL) }
        }
    }

    /// Serves `service`'s routes on a live server and runs `body` with a ``RemoteService`` calling them and their
    /// base URL.
    static func serve(
        service: String, routes: @escaping @Sendable (SecureRouter) -> Void,
        _ body: @escaping @Sendable (RemoteService, String) async throws -> Void
    ) async throws {
        let keys = try await keys.keys()
        let router = ServiceRouter.build(
            keys: keys, security: RouteSecurity(rateLimiter: InMemoryRateLimiter()), metrics: HTTPMetrics(), healthChecks: [])
        routes(router)
        let app = Application(router: router.router, logger: TestDatabases.logger)
        try await app.test(.live) { client in
            let baseURL = "http://127.0.0.1:\(client.port!)"
            try await withHTTPClient { http in
                try await body(RemoteService(service: service, baseURLs: [baseURL], caller: "test", http: http, keys: keys), baseURL)
            }
        }
    }
}

/// Runs `body` with a fresh HTTP client, shut down after it whatever happens.
func withHTTPClient<Result: Sendable>(_ body: (HTTPClient) async throws -> Result) async throws -> Result {
    let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: RemoteService.httpConfiguration())
    do {
        let result = try await body(http)
        try await http.shutdown()
        return result
    } catch {
        try? await http.shutdown()
        throw error
    }
}

/// One service key for the whole test run.
final class ServiceKeysFixture: Sendable {
    static let secret = Array("contract-tests-service-key-0123456789".utf8)

    func keys() async throws -> ServiceKeys { try await ServiceKeys(current: Self.secret) }
}
