import AsyncHTTPClient
import Auth
import ClientSupport
import Clients
import Contracts
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import NIOCore
import NIOHTTP1
import Platform
import RESP
import ServerKit
import ServiceLifecycle
import Storage
import TestSupport
import Testing

/// How the platform under test is put together.
enum Topology: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// Every service and the gateway in one process, called in process.
    case allInOne = "all-in-one"
    /// The services behind their internal HTTP API on a live port, and a gateway that calls them with the HTTP clients
    /// and service tokens, reading sessions from the shared database.
    case distributed

    var testDescription: String { rawValue }
}

/// The whole platform over a fresh database, driven through Hummingbird's test client.
struct TestPlatform: Sendable {
    /// The platform running the services (in the distributed topology, the process behind the gateway).
    let platform: Platform
    /// Every route the gateway registered, with its access rule.
    let routeTable: [RouteKey: RouteRule]
    /// Routes registered without an access rule (must be none).
    let undeclaredRoutes: [String]
    /// In the distributed topology, the services' base URL (where billing serves the sandbox provider's page).
    var servicesURL: String? = nil

    static let password = "correct horse battery"

    static func with(
        _ kind: DatabaseKind = .sqlite, topology: Topology = .allInOne, redisURL: String? = nil, backgroundWork: Bool = false,
        configure: @escaping @Sendable (inout PlatformSettings) -> Void = { _ in },
        _ body: @escaping @Sendable (TestPlatform, any TestClientProtocol) async throws -> Void
    ) async throws {
        if topology == .distributed {
            try await distributed(kind, backgroundWork: backgroundWork, configure: configure, body)
            return
        }
        try await TestDatabases.with(kind) { database in
            let settings = Self.settings(configure)
            let redis = try redisURL.map {
                RESPClient(
                    configuration: try RESPConfiguration(url: $0), connectionCount: 2, backoff: .init(initial: .milliseconds(50)),
                    logger: TestDatabases.logger)
            }
            let platform = Platform(settings: settings, database: database, redis: redis, logger: TestDatabases.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let redis {
                    group.addTask { try await redis.run() }
                    if redisURL != TestPlatform.deadRedisURL {
                        while redis.liveConnectionCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
                    }
                }
                _ = try await platform.prepare()
                // The relay and the run worker, not the schedulers: a test decides which month is billed.
                if backgroundWork {
                    for service in platform.backgroundWork(schedules: false) { group.addTask { try await service.run() } }
                }
                let secure = platform.router()
                let app = Application(router: secure.router, logger: TestDatabases.logger)
                let harness = TestPlatform(
                    platform: platform, routeTable: secure.routeTable, undeclaredRoutes: secure.verifyEveryRouteDeclaresAccess())
                do {
                    try await app.test(.router) { client in try await body(harness, client) }
                } catch {
                    group.cancelAll()
                    throw error
                }
                group.cancelAll()
            }
        }
    }

    /// Test settings: cheap bcrypt, no demo data, rate limits out of the way; then `configure`.
    private static func settings(_ configure: (inout PlatformSettings) -> Void) -> PlatformSettings {
        var settings = PlatformSettings()
        settings.auth.bcryptCost = 4
        settings.demoData = false
        settings.rateLimits = RateLimitSettings(
            credentials: .perWindow(name: "credentials", limit: 1000, seconds: 60),
            api: .perWindow(name: "api", limit: 10_000, seconds: 60),
            global: .perWindow(name: "global", limit: 100_000, seconds: 60))
        configure(&settings)
        return settings
    }

    /// The services of one platform served live on their internal API, and a gateway platform calling them over HTTP.
    private static func distributed(
        _ kind: DatabaseKind, backgroundWork: Bool, configure: @escaping @Sendable (inout PlatformSettings) -> Void,
        _ body: @escaping @Sendable (TestPlatform, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestDatabases.with(kind) { database in
            let settings = Self.settings(configure)
            let keys = try await ServiceKeys(current: Array(repeating: 42, count: 32))
            var backendSettings = settings
            backendSettings.distributed.roles = [.auth, .customers, .billing, .support, .notifications]
            let backend = Platform(
                settings: backendSettings,
                databases: [
                    .auth: database, .customers: database, .billing: database, .support: database, .notifications: database,
                ],
                redis: nil, rabbit: nil,
                serviceKeys: keys, http: nil, logger: TestDatabases.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                _ = try await backend.prepare()
                if backgroundWork {
                    for service in backend.backgroundWork(schedules: false) { group.addTask { try await service.run() } }
                }
                let backendApp = Application(router: backend.router().router, logger: TestDatabases.logger)
                do {
                    try await backendApp.test(.live) { backendClient in
                        let base = "http://127.0.0.1:\(backendClient.port!)"
                        var gatewaySettings = settings
                        gatewaySettings.distributed.roles = [.gateway]
                        gatewaySettings.distributed.urls = [
                            .auth: [base], .customers: [base], .billing: [base], .support: [base], .notifications: [base],
                        ]
                        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: RemoteService.httpConfiguration())
                        let gateway = Platform(
                            settings: gatewaySettings, databases: [.gateway: database], redis: nil, rabbit: nil, serviceKeys: keys, http: http,
                            logger: TestDatabases.logger)
                        let secure = gateway.router()
                        let harness = TestPlatform(
                            platform: backend, routeTable: secure.routeTable, undeclaredRoutes: secure.verifyEveryRouteDeclaresAccess(),
                            servicesURL: base)
                        do {
                            try await Application(router: secure.router, logger: TestDatabases.logger).test(.router) { client in
                                try await body(harness, client)
                            }
                        } catch {
                            try? await http.shutdown()
                            throw error
                        }
                        try await http.shutdown()
                    }
                } catch {
                    group.cancelAll()
                    throw error
                }
                group.cancelAll()
            }
        }
    }

    /// A Redis URL where nothing listens: every command fails at once.
    static let deadRedisURL = "redis://127.0.0.1:1/0"

    /// The test Redis, when the run has one.
    static var redisURL: String? {
        ProcessInfo.processInfo.environment["LASTMILE_TEST_REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func user(_ role: Role, email: String? = nil) async throws -> UserProfile {
        try await platform.localAuth!.createUser(
            email: email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8))@example.com", password: Self.password, role: role, locale: "ru")
    }

    /// Logs in over HTTP and returns the token response as JSON.
    func login(_ client: any TestClientProtocol, _ email: String, password: String = TestPlatform.password) async throws -> [String: Any] {
        try await client.execute(
            uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
            body: json(["email": email, "password": password])
        ) { response in
            guard response.status == .ok else { throw UnexpectedStatus(status: response.status, body: String(buffer: response.body)) }
            return try object(response.body)
        }
    }

    /// Confirms a sandbox payment on the provider's page: on the gateway's router all-in-one, at billing's own address
    /// in the distributed topology. The page's status.
    func confirmSandbox(_ client: any TestClientProtocol, confirmationURL: String) async throws -> HTTPResponse.Status {
        let form = "outcome=succeeded"
        let components = URLComponents(string: confirmationURL)
        let path = (components?.path ?? "") + "?" + (components?.query ?? "")
        guard let servicesURL else {
            return try await client.execute(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form)
            ) { $0.status }
        }
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var request = HTTPClientRequest(url: "\(servicesURL)\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: form))
        do {
            let response = try await http.execute(request, timeout: .seconds(10))
            try await http.shutdown()
            return HTTPResponse.Status(code: Int(response.status.code))
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    func token(_ client: any TestClientProtocol, role: Role) async throws -> String {
        let user = try await user(role)
        return try await login(client, user.email)["accessToken"] as! String
    }
}

struct UnexpectedStatus: Error {
    var status: HTTPResponse.Status
    var body: String
}

func json(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

func object(_ buffer: ByteBuffer) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] ?? [:]
}

func bearer(_ token: String) -> HTTPFields {
    [.authorization: "Bearer \(token)"]
}
