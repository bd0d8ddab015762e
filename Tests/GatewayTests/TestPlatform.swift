import Auth
import ClientSupport
import Contracts
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import NIOCore
import Platform
import RESP
import ServerKit
import ServiceLifecycle
import Storage
import TestSupport

/// The whole platform over a fresh database, driven through Hummingbird's test client.
struct TestPlatform: Sendable {
    let platform: Platform
    /// Every route the gateway registered, with its access rule.
    let routeTable: [RouteKey: RouteRule]
    /// Routes registered without an access rule (must be none).
    let undeclaredRoutes: [String]

    static let password = "correct horse battery"

    static func with(
        _ kind: DatabaseKind = .sqlite, redisURL: String? = nil, backgroundWork: Bool = false,
        configure: @escaping @Sendable (inout PlatformSettings) -> Void = { _ in },
        _ body: @escaping @Sendable (TestPlatform, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestDatabases.with(kind) { database in
            var settings = PlatformSettings()
            settings.auth.bcryptCost = 4
            settings.demoData = false
            settings.rateLimits = RateLimitSettings(
                credentials: .perWindow(name: "credentials", limit: 1000, seconds: 60),
                api: .perWindow(name: "api", limit: 10_000, seconds: 60),
                global: .perWindow(name: "global", limit: 100_000, seconds: 60))
            configure(&settings)
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
