import AMQP
import AsyncHTTPClient
import Billing
import Foundation
import Gateway
import Hummingbird
import Logging
import Messaging
import Notifications
import RESP
import ServerKit
import ServiceKit
import ServiceLifecycle
import Storage
import Support
import Synchronization

extension Platform {
    /// Applies each database's migrations, declares the event topology, readies the local services and, on a first
    /// all-in-one start with demo data on, seeds the demo users. The database pools must be running.
    public func prepare() async throws -> DemoCredentials? {
        try await migrate()
        // Every consumer's queue is bound before the relay publishes anything: an event published to the topic
        // exchange before its queue exists would be dropped by the broker.
        for store in stores { try await store.consumerRunner?.declareTopology() }
        for service in services { try await service.start() }
        guard settings.demoData, settings.distributed.isAllInOne else { return nil }
        return try await DemoData.seedIfEmpty(platform: self, demoCustomers: settings.demoCustomers)
    }

    /// Applies each database's pending migrations: Storage's tables, then those of the services it holds.
    public func migrate() async throws {
        for store in stores {
            let applied = try await Migrator(database: store.database, logger: logger).migrate(store.migrations)
            if !applied.isEmpty { logger.info("migrations applied", metadata: ["migrations": "\(applied.joined(separator: ", "))"]) }
        }
    }

    /// The readiness checks: each database, Redis, the broker.
    var healthChecks: [HealthCheck] {
        var checks: [HealthCheck] = [draining.healthCheck]
        for (index, database) in databases.enumerated() {
            checks.append(HealthCheck(index == 0 ? "database" : "database-\(index + 1)") { try await database.query("SELECT 1 AS ok", []) })
        }
        if let redis { checks.append(HealthCheck("redis") { _ = try await redis.ping() }) }
        if let client = rabbit?.client {
            // Not required: while the broker is away the outbox keeps the events and every request still works.
            checks.append(HealthCheck("broker", required: false) { guard client.isConnected else { throw BrokerDisconnected() } })
        }
        return checks
    }

    /// The router of this process: the gateway's routes when it runs the gateway, and the internal API of each local
    /// service when some other process may call it (not in the all-in-one process, where nothing does).
    public func router() -> SecureRouter {
        let internalAPIs = !settings.distributed.isAllInOne
        let keys = internalAPIs ? serviceKeys : nil
        let router: SecureRouter
        if roles.contains(.gateway), let auth, let customers, let billing, let support, let notifications {
            router = Gateway.buildRouter(
                GatewayDependencies(
                    auth: auth, customers: customers, billing: billing, support: support, notifications: notifications, security: security,
                    metrics: metrics,
                    healthChecks: healthChecks,
                    corsOrigins: settings.corsOrigins, maxBodyBytes: settings.maxBodyBytes,
                    maxAttachmentBytes: settings.support.maximumAttachmentBytes, cookies: SessionCookies(secure: settings.secureCookies),
                    serviceKeys: keys, trustedProxies: settings.trustedProxies,
                    alertmanagerToken: settings.alertmanagerToken))
        } else if let serviceKeys {
            router = ServiceRouter.build(keys: serviceKeys, security: security, metrics: metrics, healthChecks: healthChecks)
        } else {
            preconditionFailure("a process without the gateway needs the service key (checked with the settings)")
        }
        if internalAPIs {
            for service in services { service.registerInternalRoutes(on: router) }
        }
        // The sandbox provider's page belongs to billing: it is served where billing runs (behind a gateway, route
        // `/sandbox/` to the billing processes).
        if settings.sandboxPayments, let localBilling { SandboxPageRoutes(desk: localBilling).register(on: router) }
        return router
    }

    /// The long-running work besides serving HTTP: each database's relay, consumers and sampler, the session
    /// listener, and each local service's own work (with `schedules`, its schedulers). Start it after ``prepare()``.
    public func backgroundWork(schedules: Bool = true) -> [any Service] {
        var work: [any Service] = stores.flatMap(\.backgroundWork)
        if let sessionListener { work.append(sessionListener) }
        work += services.flatMap { $0.backgroundWork(schedules: schedules) }
        return work
    }

    /// The whole process as one Hummingbird application: connection pools, the background work once migrations
    /// ran, then the HTTP server. `onReady` runs after migrations with the demo credentials (if any were created) and
    /// the bound port.
    public func application(onReady: @escaping @Sendable (DemoCredentials?, Int) async -> Void = { _, _ in }) -> some ApplicationProtocol {
        settings.logStartWarnings(to: logger)
        // Shut down in reverse order: the HTTP client and the pools outlive the work that uses them.
        var services: [any Service] = []
        if let http { services.append(HTTPClientService(client: http)) }
        if let providerHTTP { services.append(HTTPClientService(client: providerHTTP)) }
        if let channelHTTP { services.append(OutboundHTTPService(http: channelHTTP)) }
        for client in pushClients { services.append(PushClientService(client: client)) }
        for database in databases { if let postgres = database as? PostgresDatabase { services.append(postgres) } }
        if let redis { services.append(redis) }
        if let rabbit { services.append(rabbit.client) }
        if let smtp { services.append(smtp) }
        let gate = StartGate()
        services += backgroundWork().map { GatedService(gate: gate, service: $0) }
        let demo = DemoBox()
        var app = Application(
            router: router().router,
            server: .http1WithHeaderLimits(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "LastMile"),
            services: services,
            onServerRunning: { channel in await onReady(demo.value, channel.localAddress?.port ?? 0) },
            logger: logger)
        app.beforeServerStarts { [self] in
            demo.value = try await self.prepare()
            gate.open()
        }
        return app
    }

    /// Closes every database.
    public func closeDatabases() async throws {
        for database in databases { try await database.close() }
        // Serving shut it down already (HTTPClientService); operator commands end here.
        try? await providerHTTP?.shutdown()
        await channelHTTP?.shutdown()
        for client in pushClients { await client.shutdown() }
    }
}

/// Shuts the service clients' HTTP client down at graceful shutdown, after the requests that use it.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        }
        try await client.shutdown()
    }
}

/// Shuts the outside providers' HTTP client down at graceful shutdown, if it was ever made.
struct OutboundHTTPService: Service {
    let http: OutboundHTTP

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        }
        await http.shutdown()
    }
}

/// Closes a push provider's connection at graceful shutdown.
struct PushClientService: Service {
    let client: any PushProviderClient

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        }
        await client.shutdown()
    }
}

/// The readiness check's answer while the RabbitMQ connection is down.
struct BrokerDisconnected: Error, CustomStringConvertible {
    var description: String { "not connected to RabbitMQ" }
}

/// Hands the demo credentials from the start-up hook to the "running" hook.
final class DemoBox: Sendable {
    private let storage = Mutex<DemoCredentials?>(nil)

    var value: DemoCredentials? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
