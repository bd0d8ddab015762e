import AMQP
import Acquiring
import AsyncHTTPClient
import Auth
import Billing
import Blobs
import Clients
import Contracts
import Customers
import Foundation
import Kernel
import Logging
import Messaging
import Notifications
import Push
import RESP
import SMS
import SMTP
import ServerKit
import ServiceKit
import StaffChat
import Storage
import Support
import WebPush

/// The composition root of `lastmile serve`: the roles this process runs (``DistributedSettings/roles``: all of
/// them by default), each local service over its database, and a client for each service that runs elsewhere.
///
/// The platform knows services only through ``PlatformService``: their migrations, consumers, background work and
/// internal routes come from the list, so a new service joins by being added to it.
public final class Platform: Sendable {
    /// Every service's migrations, in the order they apply to one shared database.
    public static let migrations: [MigrationSet] = [StorageMigrations.set] + ServiceRole.services.flatMap(migrations(of:))

    /// The migrations of one service's database (besides Storage's).
    public static func migrations(of role: ServiceRole) -> [MigrationSet] {
        switch role {
        case .gateway: []
        case .auth: [AuthMigrations.set]
        case .customers: [CustomersMigrations.set]
        case .billing: [BillingMigrations.set]
        case .support: [SupportMigrations.set, BlobsMigrations.set]
        case .notifications: [NotificationsMigrations.set]
        }
    }

    /// The settings it was built with.
    public let settings: PlatformSettings
    /// The auth service, when this process runs it.
    public let localAuth: AuthService?
    /// The customer service (CRM), when this process runs it.
    public let localCustomers: CustomersService?
    /// The billing service, when this process runs it.
    public let localBilling: BillingService?
    /// The support service, when this process runs it.
    public let localSupport: SupportService?
    /// The notification service, when this process runs it.
    public let localNotifications: NotificationsService?
    /// Auth as the gateway calls it: the local service or its client; nil when neither is needed here.
    public let auth: (any AuthAPI)?
    /// Customers as the gateway calls it.
    public let customers: (any CustomersAPI)?
    /// Billing as the gateway calls it.
    public let billing: (any BillingAPI)?
    /// Support as the gateway calls it.
    public let support: (any SupportAPI)?
    /// Notifications as the gateway calls it.
    public let notifications: (any NotificationsAPI)?
    /// The local services, in start order.
    public let services: [any PlatformService]
    /// The databases of the local services, each with its relay and inbox.
    public let stores: [ServiceStore]
    /// Every database this process opened, once each (the stores', and auth's for a gateway reading sessions there).
    public let databases: [any Database]
    /// In-process event delivery (all-in-one without RabbitMQ).
    public let events: InProcessEventTransport?
    /// HTTP and business metrics.
    public let metrics: HTTPMetrics
    /// The event metrics, on the same registry as ``metrics``.
    public let eventMetrics: PrometheusEventMetrics
    /// The gateway's route security (rate limiter, limits).
    public let security: RouteSecurity
    /// The Redis pool when `LASTMILE_REDIS_URL` is set.
    public let redis: RESPClient?
    /// RabbitMQ when `LASTMILE_AMQP_URL` is set: events then travel through it instead of in process.
    public let rabbit: RabbitMQ?
    /// The keys of service tokens, when processes call each other.
    public let serviceKeys: ServiceKeys?
    /// Set at the first SIGTERM: readiness then answers 503 while requests in flight finish.
    public let draining = Draining()
    /// The HTTP client of the service clients.
    let http: HTTPClient?
    /// The HTTP client of the payment providers, when billing runs here with one configured.
    let providerHTTP: HTTPClient?
    /// The mail server's connection pool, when notifications run here with one configured.
    let smtp: SMTPClient?
    /// The HTTP client of the SMS gateway, the push services and the staff chats, made on first use.
    let channelHTTP: OutboundHTTP?
    /// The APNs and FCM clients, when configured (each connects on its first push).
    let pushClients: [any PushProviderClient]
    /// Keeps the session cache coherent across processes sharing PostgreSQL; nil on SQLite and with Redis.
    let sessionListener: SessionInvalidationListener?
    let logger: Logger

    /// The first database: in the all-in-one process, the only one.
    public var database: any Database {
        guard let store = stores.first else { preconditionFailure("this process runs no service with a database") }
        return store.database
    }

    /// The roles this process runs.
    public var roles: Set<ServiceRole> { settings.distributed.roles }

    /// The client and the transport the outbox relays publish with.
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

    /// Builds the all-in-one platform (or the roles the settings name, all over `database`).
    public convenience init(
        settings: PlatformSettings, database: any Database, redis: RESPClient? = nil, rabbit: RabbitMQ? = nil,
        clock: any WallClock = SystemClock(), logger: Logger
    ) {
        let roles = settings.distributed.roles.filter { $0 != .gateway }
        self.init(
            settings: settings, databases: Dictionary(uniqueKeysWithValues: roles.map { ($0, database) }), redis: redis, rabbit: rabbit,
            serviceKeys: nil, http: nil, clock: clock, logger: logger)
    }

    /// Builds the platform: each local service over its database in `databases` (services sharing a database share the
    /// object), clients over `http` for the services configured elsewhere. Under `.gateway`, a gateway without the auth
    /// service and without Redis finds auth's database, to read sessions from.
    public init(
        settings: PlatformSettings, databases: [ServiceRole: any Database], redis: RESPClient?, rabbit: RabbitMQ?, serviceKeys: ServiceKeys?,
        http: HTTPClient?, clock: any WallClock = SystemClock(), logger: Logger
    ) {
        self.settings = settings
        var distinct: [any Database] = []
        for role in ServiceRole.allCases {
            guard let database = databases[role], !distinct.contains(where: { $0 as AnyObject === database as AnyObject }) else { continue }
            distinct.append(database)
        }
        self.databases = distinct
        self.redis = redis
        self.rabbit = rabbit
        self.serviceKeys = serviceKeys
        self.http = http
        self.logger = logger
        let roles = settings.distributed.roles
        // A gateway without auth reads sessions from Redis or, given one under `.gateway`, from auth's database.
        let (sessions, sessionListener) = Self.sessionStore(
            redis: redis, database: databases[.auth] ?? databases[.gateway], ownedByAuth: databases[.auth] != nil, logger: logger)
        self.sessionListener = sessionListener

        var authSettings = settings.auth
        authSettings.cacheProfiles = databases[.auth]?.dialect == .sqlite
        var billingSettings = settings.billing
        billingSettings.publicBaseURL = settings.publicURL ?? "http://\(settings.host):\(settings.port)"
        var supportSettings = settings.support
        supportSettings.publicBaseURL = billingSettings.publicBaseURL
        if roles.contains(.auth), let database = databases[.auth], let sessions {
            localAuth = AuthService(database: database, sessions: sessions, settings: authSettings, clock: clock, logger: logger)
        } else {
            localAuth = nil
        }
        if roles.contains(.customers), let database = databases[.customers] {
            localCustomers = CustomersService(database: database, settings: settings.customers, clock: clock, logger: logger)
        } else {
            localCustomers = nil
        }
        if roles.contains(.billing), let database = databases[.billing] {
            let (providers, client) = Self.paymentProviders(settings.payments)
            providerHTTP = client
            localBilling = BillingService(database: database, settings: billingSettings, clock: clock, providers: providers, logger: logger)
        } else {
            providerHTTP = nil
            localBilling = nil
        }
        if roles.contains(.support), let database = databases[.support] {
            localSupport = SupportService(
                database: database, settings: supportSettings, clock: clock, blobs: Self.attachmentStore(settings, database, logger),
                logger: logger)
        } else {
            localSupport = nil
        }
        let remote = Self.remoteServices(settings: settings, http: http, keys: serviceKeys, logger: logger)
        customers = localCustomers ?? remote[.customers].map { CustomersClient(remote: $0) }
        if roles.contains(.notifications), let database = databases[.notifications] {
            // Operators' addresses come from their profiles: auth here, or its client (which never authenticates).
            let profiles: (any AuthAPI)? =
                localAuth ?? remote[.auth].map { AuthClient(remote: $0, authenticate: { _ in throw AuthError.invalidToken(reason: "not here") }) }
            var notificationSettings = settings.notifications
            notificationSettings.publicBaseURL = billingSettings.publicBaseURL
            let vapid = settings.channels.webPush.map { VAPIDKeySource(database: database, configured: $0.privateKey) }
            let outlets = Self.notificationChannels(settings.channels, notifications: notificationSettings, vapid: vapid, logger: logger)
            smtp = outlets.smtp
            channelHTTP = outlets.http
            pushClients = outlets.push
            localNotifications = NotificationsService(
                database: database, directory: ServicesDirectory(customers: customers, auth: profiles, clock: clock), channels: outlets.channels,
                settings: notificationSettings, vapid: vapid, clock: clock, logger: logger)
        } else {
            smtp = nil
            channelHTTP = nil
            pushClients = []
            localNotifications = nil
        }
        let local: [(ServiceRole, any PlatformService)] = [
            localAuth.map { (.auth, $0) }, localCustomers.map { (.customers, $0) }, localBilling.map { (.billing, $0) },
            localSupport.map { (.support, $0) }, localNotifications.map { (.notifications, $0) },
        ].compactMap { $0 }
        services = local.map(\.1)

        if let localAuth {
            auth = localAuth
        } else if let service = remote[.auth], let sessions {
            let verifier = AccessTokenVerifier.published(
                settings: authSettings, sessions: sessions, clock: clock, logger: logger,
                fetchKeys: { try await AuthClient.publishedKeys(of: service) })
            auth = AuthClient(remote: service, authenticate: { try await verifier.authenticate(accessToken: $0) })
        } else {
            auth = nil
        }
        billing = localBilling ?? remote[.billing].map { BillingClient(remote: $0) }
        support = localSupport ?? remote[.support].map { SupportClient(remote: $0) }
        notifications = localNotifications ?? remote[.notifications].map { NotificationsClient(remote: $0) }

        metrics = HTTPMetrics()
        let consumers = services.flatMap(\.consumers)
        let eventMetrics = PrometheusEventMetrics(registry: metrics.registry, consumers: consumers.map(\.name))
        self.eventMetrics = eventMetrics
        let limiter: any RateLimiter = redis.map { RedisRateLimiter(redis: $0) } ?? InMemoryRateLimiter(clock: clock)
        security = RouteSecurity(rateLimiter: limiter, rateLimits: settings.rateLimits, metricsToken: settings.metricsToken)

        // Services sharing a database share its outbox, relay and inbox.
        var groups: [(database: any Database, services: [any PlatformService])] = []
        for (role, service) in local {
            let database = databases[role]!
            if let index = groups.firstIndex(where: { ObjectIdentifier($0.database as AnyObject) == ObjectIdentifier(database as AnyObject) }) {
                groups[index].services.append(service)
            } else {
                groups.append((database, [service]))
            }
        }
        let inProcess = rabbit == nil ? groups.first.map { InboxProcessor(database: $0.database, clock: clock) } : nil
        let events = inProcess.map { InProcessEventTransport(processor: $0, metrics: eventMetrics, logger: logger) }
        self.events = events
        let transport: (any EventTransport)? = rabbit?.transport ?? events
        // Without RabbitMQ the in-process transport exists whenever there is a database: stores need a transport.
        stores =
            transport.map { transport in
                groups.map { group in
                    let inbox = InboxProcessor(database: group.database, clock: clock)
                    // A service without consumers (auth) has no runner: it would end at once, and a service group
                    // ends with any of its services.
                    let consumers = group.services.flatMap(\.consumers)
                    let runner =
                        consumers.isEmpty
                        ? nil
                        : rabbit.map { rabbit in
                            AMQPEventConsumerRunner(
                                client: rabbit.client, consumers: consumers, processor: inbox, settings: settings.eventConsumers,
                                metrics: eventMetrics, logger: logger)
                        }
                    return ServiceStore(
                        database: group.database, services: group.services,
                        relay: OutboxRelay(
                            database: group.database, transport: transport, clock: clock, metrics: eventMetrics, logger: logger),
                        inbox: inbox, consumerRunner: runner,
                        sampler: EventMetricsSampler(database: group.database, runner: runner, metrics: eventMetrics, logger: logger))
                }
            } ?? []
        if let events { for consumer in consumers { events.subscribe(consumer) } }
    }

    /// Sessions: Redis when configured (shared by replicas). Otherwise auth's database, cached in memory: processes
    /// sharing PostgreSQL announce each revocation there and use their caches only while they hear the
    /// announcements; on SQLite, the single-process embedded mode, the auth service's own process sees every change
    /// and caches, while a gateway beside it (`ownedByAuth` false) reads the table each time.
    private static func sessionStore(redis: RESPClient?, database: (any Database)?, ownedByAuth: Bool, logger: Logger) -> (
        (any SessionStore)?, SessionInvalidationListener?
    ) {
        if let redis { return (RedisSessionStore(redis: redis), nil) }
        guard let database else { return (nil, nil) }
        if let postgres = database as? PostgresDatabase {
            let cache = CachingSessionStore(backing: DatabaseSessionStore(database: database), coherence: .invalidations)
            return (cache, SessionInvalidationListener(database: postgres, cache: cache, logger: logger))
        }
        guard ownedByAuth else { return (DatabaseSessionStore(database: database), nil) }
        return (CachingSessionStore(backing: DatabaseSessionStore(database: database)), nil)
    }

    /// A client for each service that runs elsewhere and whose address is configured.
    private static func remoteServices(settings: PlatformSettings, http: HTTPClient?, keys: ServiceKeys?, logger: Logger) -> [ServiceRole:
        RemoteService]
    {
        guard let http, let keys else { return [:] }
        let roles = settings.distributed.roles
        let caller = roles.contains(.gateway) ? "gateway" : roles.sorted().map(\.rawValue).joined(separator: "+")
        var clientSettings = RemoteService.Settings()
        clientSettings.timeout = settings.distributed.callTimeout
        var remote: [ServiceRole: RemoteService] = [:]
        for role in ServiceRole.services where !roles.contains(role) {
            guard let urls = settings.distributed.urls[role] else { continue }
            remote[role] = RemoteService(
                service: role.rawValue, baseURLs: urls, caller: caller, http: http, keys: keys, settings: clientSettings, logger: logger)
        }
        return remote
    }

    /// The configured payment providers and the HTTP client they share (none without a provider).
    private static func paymentProviders(_ settings: PaymentProviderSettings) -> ([any PaymentProvider], HTTPClient?) {
        guard !settings.isEmpty else { return ([], nil) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: ProviderHTTPClient.configuration())
        var providers: [any PaymentProvider] = []
        if let yooKassa = settings.yooKassa { providers.append(YooKassaProvider(configuration: yooKassa, client: client)) }
        if let tBank = settings.tBank { providers.append(TBankProvider(configuration: tBank, client: client)) }
        return (providers, client)
    }

    /// The channels notifications leave through: e-mail when a mail server is configured, text messages through the
    /// configured gateway, Web Push unless turned off.
    private static func notificationChannels(
        _ settings: NotificationChannelSettings, notifications: NotificationsSettings, vapid: VAPIDKeySource?, logger: Logger
    ) -> (channels: [any DeliveryChannel], smtp: SMTPClient?, http: OutboundHTTP, push: [any PushProviderClient]) {
        var channels: [any DeliveryChannel] = []
        var smtp: SMTPClient?
        if let configuration = settings.smtp {
            let client = SMTPClient(configuration: configuration, logger: logger)
            smtp = client
            channels.append(EmailChannel(client: client, from: settings.from, signer: settings.dkim))
        }
        let http = OutboundHTTP(configuration: WebPushSender.clientConfiguration())
        switch settings.sms {
        case .sandbox: channels.append(SMSChannel(provider: SandboxSMSProvider(), sender: notifications.smsSender))
        case .smsRu(let apiID, let baseURL):
            let sender = notifications.smsSender
            channels.append(
                LazyChannel(.sms, http: http) { client in
                    SMSChannel(provider: SMSRuProvider(apiID: apiID, sender: sender, baseURL: baseURL, client: client), sender: sender)
                })
        case nil: break
        }
        if let webPush = settings.webPush, let vapid, let subject = VAPIDSubject(webPush.subject ?? "mailto:\(settings.from.address)") {
            let hosts = notifications.webPushHosts
            channels.append(
                LazyChannel(.webPush, serving: [.webpush], http: http) { client in
                    WebPushChannel(client: client, subject: subject, hosts: hosts, key: { try await vapid.key() })
                })
        }
        let chats = settings.chats
        if chats.webhookURL != nil || chats.telegram != nil {
            channels.append(
                LazyChannel(.chat, http: http) { client in
                    var named: [String: any StaffChatChannel] = [:]
                    if let url = chats.webhookURL { named["webhook"] = IncomingWebhookChannel(url: url, client: client) }
                    if let telegram = chats.telegram {
                        named["telegram"] = TelegramBotChannel(
                            token: telegram.token, chatID: telegram.chatID, baseURL: telegram.apiURL, client: client)
                    }
                    return ChatChannel(chats: named)
                })
        }
        let apns = settings.apns.flatMap { try? APNsClient(configuration: $0, logger: logger) }
        let fcm = settings.fcm.flatMap { try? FCMClient(configuration: $0, logger: logger) }
        if apns != nil || fcm != nil { channels.append(MobilePushChannel(apns: apns, fcm: fcm)) }
        return (channels, smtp, http, [apns as (any PushProviderClient)?, fcm].compactMap { $0 })
    }

    /// The store of support's attachments the settings choose; a directory that cannot be made falls back to the
    /// database, loudly.
    private static func attachmentStore(_ settings: PlatformSettings, _ database: any Database, _ logger: Logger) -> (any BlobStore)? {
        let useDirectory =
            switch settings.supportAttachments {
            case .automatic: database.dialect == .sqlite
            case .database: false
            case .directory: true
            }
        guard useDirectory else { return nil }
        let directory = settings.supportAttachmentsDirectory ?? (settings.dataDirectory as NSString).appendingPathComponent("attachments")
        do {
            return try DirectoryBlobStore(directory: directory)
        } catch {
            logger.error(
                "attachments directory unusable; keeping attachments in the database", metadata: ["directory": "\(directory)", "error": "\(error)"])
            return nil
        }
    }
}
