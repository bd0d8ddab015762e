import AsyncHTTPClient
import Billing
import Clients
import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import Kernel
import Logging
import ServerKit
import Storage
import TestSupport
import Testing

/// How a contract test reaches the billing service: the local object, or the client over the served internal API.
enum Mode: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case local
    case remote

    var testDescription: String { rawValue }
}

/// A billing service over a fresh SQLite database, reached in one of the two modes.
struct BillingEndpoint: Sendable {
    /// What the test calls.
    let api: any BillingAPI
    /// The service itself, for setting up what the API does not offer.
    let service: BillingService
    /// The internal API's base URL (remote mode only).
    let baseURL: String?

    static let keys = ServiceKeysFixture()

    static func with(_ mode: Mode, _ body: @escaping @Sendable (BillingEndpoint) async throws -> Void) async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, BillingMigrations.set]) { database in
            let service = BillingService(database: database, settings: BillingSettings(), logger: TestDatabases.logger)
            switch mode {
            case .local:
                try await body(BillingEndpoint(api: service, service: service, baseURL: nil))
            case .remote:
                let keys = try await keys.keys()
                let router = ServiceRouter.build(
                    keys: keys, security: RouteSecurity(rateLimiter: InMemoryRateLimiter()), metrics: HTTPMetrics(), healthChecks: [])
                BillingInternalRoutes(billing: service).register(on: router)
                let app = Application(router: router.router, logger: TestDatabases.logger)
                try await app.test(.live) { client in
                    let baseURL = "http://127.0.0.1:\(client.port!)"
                    try await withHTTPClient { http in
                        let remote = RemoteService(service: "billing", baseURLs: [baseURL], caller: "test", http: http, keys: keys)
                        try await body(BillingEndpoint(api: BillingClient(remote: remote), service: service, baseURL: baseURL))
                    }
                }
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
