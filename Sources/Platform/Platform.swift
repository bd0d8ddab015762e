import AMQP
import Auth
import Billing
import Contracts
import Customers
import Foundation
import Gateway
import Hummingbird
import Kernel
import Logging
import Messaging
import RESP
import ServerKit
import ServiceLifecycle
import Storage
import Synchronization

/// The composition root of `lastmile serve`: every service and the gateway in one process.
public final class Platform: Sendable {
    /// Every service's migrations, in the order they apply.
    public static let migrations: [MigrationSet] = [
        StorageMigrations.set, AuthMigrations.set, CustomersMigrations.set, BillingMigrations.set,
    ]

    /// The settings it was built with.
    public let settings: PlatformSettings
    /// The database (SQLite or PostgreSQL).
    public let database: any Database
    /// The auth service.
    public let auth: AuthService
    /// The customer service (CRM).
    public let customers: CustomersService
    /// The billing service.
    public let billing: BillingService
    /// In-process event delivery.
    public let events: InProcessEventTransport
    /// The outbox relay.
    public let relay: OutboxRelay
    /// HTTP and business metrics.
    public let metrics: HTTPMetrics
    /// The event metrics, on the same registry as ``metrics``.
    public let eventMetrics: PrometheusEventMetrics
    /// The gateway's route security (rate limiter, limits).
    public let security: RouteSecurity
    private let logger: Logger

    /// The Redis pool when `LASTMILE_REDIS_URL` is set.
    public let redis: RESPClient?
    /// RabbitMQ when `LASTMILE_AMQP_URL` is set: events then travel through it instead of in process.
    public let rabbit: RabbitMQ?
    private let inbox: InboxProcessor
    private let consumerRunner: AMQPEventConsumerRunner?
    /// Keeps the session cache coherent across processes sharing PostgreSQL; nil on SQLite and with Redis.
    private let sessionListener: SessionInvalidationListener?
    private let eventSampler: EventMetricsSampler

    /// The client and the transport the outbox relay publishes with.
    public struct RabbitMQ: Sendable {
        /// The connection (a `Service`: it reconnects and re-declares its topology).
        public let client: AMQPClient
        /// The event transport over it.
        public let transport: AMQPEventTransport

        /// Pairs a client with its transport.
        public init(client: AMQPClient, transport: AMQPEventTransport) {
            self.client = client
            self.transport = transport
        }
    }

    /// Builds the platform over an opened database (and Redis, when configured).
    public init(
        settings: PlatformSettings, database: any Database, redis: RESPClient? = nil, rabbit: RabbitMQ? = nil,
        clock: any WallClock = SystemClock(), logger: Logger
    ) {
        self.settings = settings
        self.database = database
        self.redis = redis
        self.rabbit = rabbit
        self.logger = logger
        // Sessions: Redis when configured (shared by replicas). Otherwise the database, cached in memory: SQLite is
        // the single-process embedded mode, so this process sees every session change; processes sharing
        // PostgreSQL announce each revocation there and use their caches only while they hear the announcements.
        let embedded = database.dialect == .sqlite
        let sessions: any SessionStore
        var sessionListener: SessionInvalidationListener?
        if let redis {
            sessions = RedisSessionStore(redis: redis)
        } else if let postgres = database as? PostgresDatabase {
            let cache = CachingSessionStore(backing: DatabaseSessionStore(database: database), coherence: .invalidations)
            sessionListener = SessionInvalidationListener(database: postgres, cache: cache, logger: logger)
            sessions = cache
        } else {
            sessions = CachingSessionStore(backing: DatabaseSessionStore(database: database))
        }
        self.sessionListener = sessionListener
        var authSettings = settings.auth
        authSettings.cacheProfiles = embedded
        self.auth = AuthService(database: database, sessions: sessions, settings: authSettings, clock: clock, logger: logger)
        var billingSettings = settings.billing
        billingSettings.publicBaseURL = settings.publicURL ?? "http://\(settings.host):\(settings.port)"
        self.customers = CustomersService(database: database, settings: settings.customers, clock: clock, logger: logger)
        self.billing = BillingService(database: database, settings: billingSettings, clock: clock, logger: logger)
        self.inbox = InboxProcessor(database: database, clock: clock)
        self.metrics = HTTPMetrics()
        let consumers = [customers.timelineConsumer, billing.customerCreatedConsumer()]
        let eventMetrics = PrometheusEventMetrics(registry: metrics.registry, consumers: consumers.map(\.name))
        self.eventMetrics = eventMetrics
        self.events = InProcessEventTransport(processor: inbox, metrics: eventMetrics, logger: logger)
        self.relay = OutboxRelay(database: database, transport: rabbit?.transport ?? events, clock: clock, metrics: eventMetrics, logger: logger)

        let limiter: any RateLimiter = redis.map { RedisRateLimiter(redis: $0) } ?? InMemoryRateLimiter(clock: clock)
        self.security = RouteSecurity(rateLimiter: limiter, rateLimits: settings.rateLimits, metricsToken: settings.metricsToken)
        if let rabbit {
            consumerRunner = AMQPEventConsumerRunner(
                client: rabbit.client, consumers: consumers, processor: inbox, settings: settings.eventConsumers, metrics: eventMetrics,
                logger: logger)
        } else {
            consumerRunner = nil
            for consumer in consumers { events.subscribe(consumer) }
        }
        eventSampler = EventMetricsSampler(database: database, runner: consumerRunner, metrics: eventMetrics, logger: logger)
    }

    /// Opens the configured database and builds the platform.
    public static func open(settings: PlatformSettings, logger: Logger) async throws -> Platform {
        // Read before the database opens, so that a bad URL or TLS file stops the start with nothing left to close.
        let redisConfiguration = try settings.redisURL.map { url in
            try SettingsError.naming("LASTMILE_REDIS_URL", tlsCAFile: settings.redisTLSCAFile, "LASTMILE_REDIS_TLS_CA_FILE") {
                try RESPConfiguration(url: url, tlsCAFile: settings.redisTLSCAFile)
            }
        }
        let amqpConfiguration = try settings.amqpURL.map { url in
            try SettingsError.naming("LASTMILE_AMQP_URL", tlsCAFile: settings.amqpTLSCAFile, "LASTMILE_AMQP_TLS_CA_FILE") {
                try AMQPConfiguration(url: url, tlsCAFile: settings.amqpTLSCAFile)
            }
        }
        let database = try await DatabaseFactory.open(url: settings.databaseURL, dataDirectory: settings.dataDirectory, logger: logger)
        let redis = redisConfiguration.map { RESPClient(configuration: $0, logger: logger) }
        var rabbit: RabbitMQ?
        if let amqpConfiguration {
            let client = AMQPClient(configuration: amqpConfiguration, logger: logger)
            rabbit = RabbitMQ(client: client, transport: try await AMQPEventTransport(client: client))
        }
        return Platform(settings: settings, database: database, redis: redis, rabbit: rabbit, logger: logger)
    }

    /// Applies migrations, loads the signing keys and, on a first start with demo data on, seeds the demo users.
    /// The database pool must be running.
    public func prepare() async throws -> DemoCredentials? {
        let applied = try await Migrator(database: database, logger: logger).migrate(Self.migrations)
        // Every consumer's queue is bound before the relay publishes anything: an event published to the topic
        // exchange before its queue exists would be dropped by the broker.
        try await consumerRunner?.declareTopology()
        if !applied.isEmpty { logger.info("migrations applied", metadata: ["migrations": "\(applied.joined(separator: ", "))"]) }
        try await auth.start()
        return settings.demoData
            ? try await DemoData.seedIfEmpty(platform: self, demoCustomers: settings.demoCustomers) : nil
    }

    /// The gateway's router with every route.
    public func router() -> SecureRouter {
        let database = database
        var checks = [HealthCheck("database") { try await database.query("SELECT 1 AS ok", []) }]
        if let redis { checks.append(HealthCheck("redis") { _ = try await redis.ping() }) }
        if let client = rabbit?.client {
            // Not required: while the broker is away the outbox keeps the events and every request still works.
            checks.append(HealthCheck("broker", required: false) { guard client.isConnected else { throw BrokerDisconnected() } })
        }
        let router = Gateway.buildRouter(
            GatewayDependencies(
                auth: auth, customers: customers, billing: billing, security: security, metrics: metrics,
                healthChecks: checks,
                corsOrigins: settings.corsOrigins, maxBodyBytes: settings.maxBodyBytes,
                cookies: SessionCookies(secure: settings.secureCookies)))
        if settings.sandboxPayments { SandboxPageRoutes(desk: billing).register(on: router) }
        return router
    }

    /// The long-running work besides serving HTTP, in start order: the outbox relay, the billing run worker, and,
    /// with `schedules`, the monthly run's scheduler and the debt sweep. Start it after ``prepare()``.
    public func backgroundWork(schedules: Bool = true) -> [any Service] {
        var work: [any Service] = [relay, BillingRunWorker(billing: billing)]
        if let sessionListener { work.append(sessionListener) }
        if let consumerRunner { work.append(consumerRunner) }
        work.append(eventSampler)
        if schedules { work += [MonthlyRunScheduler(billing: billing), DebtSweepJob(billing: billing)] }
        return work
    }

    /// The whole process as one Hummingbird application: database pool, outbox relay, then the HTTP server.
    /// `onReady` runs after migrations with the demo credentials (if any were created) and the bound port.
    public func application(onReady: @escaping @Sendable (DemoCredentials?, Int) async -> Void = { _, _ in }) -> some ApplicationProtocol {
        var services: [any Service] = []
        if let postgres = database as? PostgresDatabase { services.append(postgres) }
        if let redis { services.append(redis) }
        if let rabbit { services.append(rabbit.client) }
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
}

/// The readiness check's answer while the RabbitMQ connection is down.
private struct BrokerDisconnected: Error, CustomStringConvertible {
    var description: String { "not connected to RabbitMQ" }
}

/// Hands the demo credentials from the start-up hook to the "running" hook.
private final class DemoBox: Sendable {
    private let storage = Mutex<DemoCredentials?>(nil)

    var value: DemoCredentials? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
