import AMQP
import Auth
import Billing
import Configuration
import Customers
import Foundation
import Kernel
import Logging
import Messaging
import Notifications
import RESP
import ServerKit
import Support
import SystemPackage

/// Everything `lastmile serve` is configured with. Read from the command line, then the environment, then a `.env`
/// file, then the defaults, with swift-configuration: key `lastmile.database.url` is `LASTMILE_DATABASE_URL`.
public struct PlatformSettings: Sendable {
    /// Address to listen on.
    public var host = "127.0.0.1"
    /// Port to listen on.
    public var port = 8080
    /// Where the SQLite file lives when no database URL is given.
    public var dataDirectory = "./data"
    /// PostgreSQL URL; `nil` for the embedded SQLite default.
    public var databaseURL: String?
    /// Redis URL for sessions and rate limits shared by replicas; `nil` keeps them in the database and in memory.
    public var redisURL: String?
    /// PEM file with the CA certificates that sign a `rediss://` server's certificate (a private CA); `nil` trusts the system's roots.
    public var redisTLSCAFile: String?
    /// Auth tunables.
    public var auth = AuthSettings()
    /// Rate-limit policies.
    public var rateLimits = RateLimitSettings.standard
    /// Origins allowed by CORS.
    public var corsOrigins: [String] = []
    /// Largest request body, in bytes.
    public var maxBodyBytes = 1024 * 1024
    /// Whether the first start seeds demo data. Read from `LASTMILE_DEMO_DATA`; unset, on only in the embedded default
    /// (see ``isEmbeddedDefault``).
    public var demoData = true
    /// How many generated customers the first start adds to the demo data.
    public var demoCustomers = 1_000
    /// Log level.
    public var logLevel = Logger.Level.info
    /// Bearer token that lets a remote Prometheus scrape `/metrics`; loopback needs none.
    public var metricsToken: String?
    /// Whether cookies carry the `Secure` attribute (turn off only for plain-HTTP development on another host).
    public var secureCookies = true
    /// RabbitMQ URL for events between services; `nil` delivers them in process.
    public var amqpURL: String?
    /// PEM file with the CA certificates that sign an `amqps://` broker's certificate (a private CA); `nil` trusts the system's roots.
    public var amqpTLSCAFile: String?
    /// How services consume events from RabbitMQ: prefetch, delivery limit, batch size.
    public var eventConsumers = AMQPEventConsumerRunner.Settings()
    /// The operator's time zone: billing periods, due days and the monthly run's midnight.
    public var timeZone = TimeZone(identifier: "Europe/Moscow")!
    /// The address customers reach the platform at, for links such as payment confirmation pages.
    public var publicURL: String?
    /// Billing tunables (payment terms, grace, promised payments, provider secrets).
    public var billing = BillingSettings()
    /// Whether the sandbox payment provider's page is served (demos and tests; never in production). Read from
    /// `LASTMILE_SANDBOX_PAYMENTS`; unset, on only in the embedded default (see ``isEmbeddedDefault``).
    public var sandboxPayments = true
    /// The payment providers (YooKassa, T-Bank) and receipts' settings.
    public var payments = PaymentProviderSettings()
    /// Customer-service tunables (contract numbers).
    public var customers = CustomersSettings()
    /// Support tunables (auto-close, operators' default load).
    public var support = SupportSettings()
    /// Where attachments are kept (`LASTMILE_SUPPORT_ATTACHMENTS`: `database` or `directory`): by default a
    /// directory beside the embedded SQLite file, and the support database's `blobs` table otherwise, which every
    /// replica reaches.
    public var supportAttachments: AttachmentStorage = .automatic
    /// The directory of `directory` attachments (`LASTMILE_SUPPORT_ATTACHMENTS_DIR`, default `<data dir>/attachments`).
    public var supportAttachmentsDirectory: String?
    /// Notification tunables (brand, text-message cap).
    public var notifications = NotificationsSettings()
    /// How notifications leave (mail server, sender, DKIM).
    public var channels = NotificationChannelSettings()
    /// The bearer token of Alertmanager's webhook (`LASTMILE_ALERTMANAGER_TOKEN`); the route is off without one.
    public var alertmanagerToken: String?
    /// Which services this process runs and how it reaches the others.
    public var distributed = DistributedSettings()
    /// The reverse proxies whose `X-Forwarded-For` is believed (`LASTMILE_TRUSTED_PROXIES`).
    public var trustedProxies = TrustedProxies.none

    /// The defaults.
    public init() {}

    /// Whether this is the embedded default: SQLite, no database URL for the platform or any service. Only there do
    /// demo data and sandbox payments default to on; a server on PostgreSQL is taken for a real deployment.
    public var isEmbeddedDefault: Bool { databaseURL == nil && distributed.databaseURLs.isEmpty }

    /// Reads the settings; `overrides` (from command-line flags) win over everything else.
    public static func load(overrides: [String: String] = [:], environmentFile: String = ".env") async throws -> PlatformSettings {
        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(environmentVariables: overrides),
            EnvironmentVariablesProvider(),
        ]
        if FileManager.default.fileExists(atPath: environmentFile) {
            providers.append(try await EnvironmentVariablesProvider(environmentFilePath: .init(environmentFile), allowMissing: true))
        }
        return try PlatformSettings(reader: ConfigReader(providers: providers))
    }

    /// Reads the settings from a configuration reader.
    public init(reader config: ConfigReader) throws {
        host = config.string(forKey: "lastmile.host", default: host)
        port = config.int(forKey: "lastmile.port", default: port)
        dataDirectory = config.string(forKey: "lastmile.data.dir", default: dataDirectory)
        databaseURL = config.string(forKey: "lastmile.database.url", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        redisURL = config.string(forKey: "lastmile.redis.url", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        redisTLSCAFile = try Self.tlsCAFile(
            config.string(forKey: "lastmile.redis.tls.ca.file"), key: "LASTMILE_REDIS_TLS_CA_FILE", for: redisURL, scheme: "rediss")
        auth.bcryptCost = UInt8(clamping: config.int(forKey: "lastmile.bcrypt.cost", default: Int(auth.bcryptCost)))
        auth.issuer = config.string(forKey: "lastmile.jwt.issuer", default: auth.issuer)
        auth.audience = config.string(forKey: "lastmile.jwt.audience", default: auth.audience)
        auth.accessTokenTTL = TimeInterval(config.int(forKey: "lastmile.access.token.ttl", default: Int(auth.accessTokenTTL)))
        auth.refreshTokenTTL = TimeInterval(config.int(forKey: "lastmile.refresh.token.ttl", default: Int(auth.refreshTokenTTL)))
        let apiPerMinute = config.int(forKey: "lastmile.rate.limit.api", default: 600)
        let credentialsPerMinute = config.int(forKey: "lastmile.rate.limit.credentials", default: 10)
        let globalPerMinute = config.int(forKey: "lastmile.rate.limit.global", default: 3000)
        guard apiPerMinute > 0, credentialsPerMinute > 0, globalPerMinute > 0 else {
            throw SettingsError(key: "LASTMILE_RATE_LIMIT_*", reason: "rate limits must be positive")
        }
        rateLimits = RateLimitSettings(
            credentials: .perWindow(name: "credentials", limit: credentialsPerMinute, seconds: 60),
            api: .perWindow(name: "api", limit: apiPerMinute, seconds: 60, burst: max(20, apiPerMinute / 4)),
            global: .perWindow(name: "global", limit: globalPerMinute, seconds: 60, burst: max(50, globalPerMinute / 4)))
        corsOrigins = config.string(forKey: "lastmile.cors.origins", default: "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        maxBodyBytes = config.int(forKey: "lastmile.max.body.bytes", default: maxBodyBytes)
        demoCustomers = config.int(forKey: "lastmile.demo.customers", default: demoCustomers)
        guard demoCustomers >= 0 else { throw SettingsError(key: "LASTMILE_DEMO_CUSTOMERS", reason: "must not be negative") }
        let level = config.string(forKey: "lastmile.log.level", default: "info")
        guard let parsed = Logger.Level(rawValue: level) else { throw SettingsError(key: "LASTMILE_LOG_LEVEL", reason: "unknown level \(level)") }
        logLevel = parsed
        metricsToken = config.string(forKey: "lastmile.metrics.token", isSecret: true)
        secureCookies = config.bool(forKey: "lastmile.secure.cookies", default: secureCookies)
        amqpURL = config.string(forKey: "lastmile.amqp.url", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        amqpTLSCAFile = try Self.tlsCAFile(
            config.string(forKey: "lastmile.amqp.tls.ca.file"), key: "LASTMILE_AMQP_TLS_CA_FILE", for: amqpURL, scheme: "amqps")
        eventConsumers = try Self.eventConsumerSettings(config)
        let zone = config.string(forKey: "lastmile.time.zone", default: timeZone.identifier)
        guard let parsedZone = TimeZone(identifier: zone) else {
            throw SettingsError(key: "LASTMILE_TIME_ZONE", reason: "unknown time zone \(zone); use an IANA name such as Europe/Moscow")
        }
        timeZone = parsedZone
        publicURL = config.string(forKey: "lastmile.public.url").flatMap { $0.isEmpty ? nil : $0 }
        billing.timeZone = parsedZone
        customers.timeZone = parsedZone
        support.timeZone = parsedZone
        if let storage = config.string(forKey: "lastmile.support.attachments"), !storage.isEmpty {
            guard let parsed = AttachmentStorage(rawValue: storage) else {
                throw SettingsError(key: "LASTMILE_SUPPORT_ATTACHMENTS", reason: "must be database or directory")
            }
            supportAttachments = parsed
        }
        supportAttachmentsDirectory = config.string(forKey: "lastmile.support.attachments.dir")
        if let hours = config.string(forKey: "lastmile.support.working.hours"), !hours.isEmpty {
            do {
                support.workingHours = try WorkingHours(parsing: hours)
            } catch {
                throw SettingsError(key: "LASTMILE_SUPPORT_WORKING_HOURS", reason: "\(error)")
            }
        }
        let slaTargets = config.string(forKey: "lastmile.support.sla") ?? ""
        let slaWarning = config.string(forKey: "lastmile.support.sla.warning")
        if !slaTargets.isEmpty || !(slaWarning ?? "").isEmpty {
            do {
                support.slaPolicy = try SLAPolicy(settings: slaTargets, warning: slaWarning)
            } catch {
                throw SettingsError(key: error.inWarning ? "LASTMILE_SUPPORT_SLA_WARNING" : "LASTMILE_SUPPORT_SLA", reason: "\(error)")
            }
        }
        if let entries = config.string(forKey: "lastmile.support.calendar"), !entries.isEmpty {
            do {
                support.productionCalendar = try support.productionCalendar.applying(settings: entries)
            } catch {
                throw SettingsError(key: "LASTMILE_SUPPORT_CALENDAR", reason: "\(error)")
            }
        }
        support.maximumAttachmentBytes = config.int(forKey: "lastmile.support.attachment.max.bytes", default: support.maximumAttachmentBytes)
        guard (1024...(100 << 20)).contains(support.maximumAttachmentBytes) else {
            throw SettingsError(key: "LASTMILE_SUPPORT_ATTACHMENT_MAX_BYTES", reason: "must be 1024 to 104857600")
        }
        support.autoCloseDays = config.int(forKey: "lastmile.support.auto.close.days", default: support.autoCloseDays)
        guard (1...365).contains(support.autoCloseDays) else {
            throw SettingsError(key: "LASTMILE_SUPPORT_AUTO_CLOSE_DAYS", reason: "must be 1 to 365")
        }
        billing.runBatchSize = config.int(forKey: "lastmile.billing.run.batch.size", default: billing.runBatchSize)
        guard billing.runBatchSize > 0 else { throw SettingsError(key: "LASTMILE_BILLING_RUN_BATCH_SIZE", reason: "must be positive") }
        if let pattern = config.string(forKey: "lastmile.contract.number.pattern"), !pattern.isEmpty {
            do {
                customers.contractNumberPattern = try ContractNumberPattern(pattern)
            } catch {
                throw SettingsError(key: "LASTMILE_CONTRACT_NUMBER_PATTERN", reason: "\(error)")
            }
        }
        billing.paymentTermDays = config.int(forKey: "lastmile.billing.payment.term.days", default: billing.paymentTermDays)
        billing.graceDays = config.int(forKey: "lastmile.billing.grace.days", default: billing.graceDays)
        billing.promisedPaymentDays = config.int(forKey: "lastmile.promised.payment.days", default: billing.promisedPaymentDays)
        billing.promisedPaymentCooldownDays = config.int(
            forKey: "lastmile.promised.payment.cooldown.days", default: billing.promisedPaymentCooldownDays)
        let promisedMaximum = config.int(forKey: "lastmile.promised.payment.max.kopecks", default: Int(billing.promisedPaymentMaximum.minorUnits))
        billing.promisedPaymentMaximum = .rub(Int64(promisedMaximum))
        let maximumAmount = config.int(forKey: "lastmile.billing.max.amount.kopecks", default: Int(billing.maximumAmount.minorUnits))
        // The ceiling keeps a sum of a million such amounts far inside a BIGINT.
        guard (1...1_000_000_000_000).contains(maximumAmount) else {
            throw SettingsError(key: "LASTMILE_BILLING_MAX_AMOUNT_KOPECKS", reason: "must be 1–1000000000000, not \(maximumAmount)")
        }
        billing.maximumAmount = .rub(Int64(maximumAmount))
        // Sandbox notifications are signed with this secret; without one configured each start draws its own,
        // so no deployment ever accepts notifications signed with a published default.
        billing.providerSecrets["sandbox"] =
            config.string(forKey: "lastmile.sandbox.secret", isSecret: true).flatMap { $0.isEmpty ? nil : $0 } ?? SecureRandom.token(bytes: 32)
        guard billing.paymentTermDays >= 0, billing.graceDays >= 0, billing.promisedPaymentDays > 0,
            billing.promisedPaymentCooldownDays >= 0, promisedMaximum >= 0
        else { throw SettingsError(key: "LASTMILE_BILLING_* / LASTMILE_PROMISED_PAYMENT_*", reason: "must not be negative") }
        guard (1...65535).contains(port) else { throw SettingsError(key: "LASTMILE_PORT", reason: "must be 1–65535") }
        guard (4...31).contains(Int(auth.bcryptCost)) else { throw SettingsError(key: "LASTMILE_BCRYPT_COST", reason: "must be 4–31") }
        var invalidProxy: String?
        guard let proxies = TrustedProxies(parsing: config.string(forKey: "lastmile.trusted.proxies", default: ""), invalid: &invalidProxy) else {
            throw SettingsError(key: "LASTMILE_TRUSTED_PROXIES", reason: "not an address or CIDR range: \(invalidProxy ?? "")")
        }
        trustedProxies = proxies
        distributed = try DistributedSettings(reader: config)
        payments = try PaymentProviderSettings(reader: config, publicURL: publicURL)
        billing.payments.taxSystem = payments.taxSystem
        notifications.timeZone = parsedZone
        alertmanagerToken = config.string(forKey: "lastmile.alertmanager.token", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        channels = try NotificationChannelSettings(reader: config, embedded: isEmbeddedDefault, notifications: &notifications)
        try PaymentProviderSettings.timing(config, into: &billing.payments)
        // Fake money and generated subscribers only where nobody could mistake the server for a real one.
        demoData = config.bool(forKey: "lastmile.demo.data", default: isEmbeddedDefault)
        sandboxPayments = config.bool(forKey: "lastmile.sandbox.payments", default: isEmbeddedDefault)
        // Without the page nothing may confirm sandbox payments: an empty secret makes every notification fail.
        if !sandboxPayments { billing.providerSecrets["sandbox"] = "" }
        try distributed.validate(databaseURL: databaseURL, redisURL: redisURL, amqpURL: amqpURL)
    }

    /// A private CA for a TLS URL: unset or empty is `nil`; otherwise a readable file, for a `scheme://` URL. (Its
    /// certificates are read with the URL, in ``Platform/open(settings:logger:)``.)
    private static func tlsCAFile(_ path: String?, key: String, for url: String?, scheme: String) throws -> String? {
        guard let path, !path.isEmpty else { return nil }
        guard url?.hasPrefix("\(scheme)://") == true else { throw SettingsError(key: key, reason: "applies only to \(scheme):// URLs") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw SettingsError(key: key, reason: "no readable file at \(path)") }
        return path
    }
}

/// A setting that cannot be used; names the variable.
public struct SettingsError: Error, CustomStringConvertible {
    /// The environment variable.
    public var key: String
    /// What is wrong.
    public var reason: String

    /// A one-line message.
    public var description: String { "\(key): \(reason)" }
}

extension SettingsError {
    /// Runs `read`, turning its error into one that names `urlKey`, and `caFileKey` too when a CA file was set.
    static func naming<Value>(_ urlKey: String, tlsCAFile: String?, _ caFileKey: String, _ read: () throws -> Value) throws -> Value {
        do {
            return try read()
        } catch {
            let message = (error as? RESPError)?.message ?? (error as? AMQPError)?.message ?? "\(error)"
            throw SettingsError(key: tlsCAFile == nil ? urlKey : "\(urlKey) / \(caFileKey)", reason: message)
        }
    }
}

/// Where the support service keeps attachments' bytes.
public enum AttachmentStorage: String, Sendable {
    /// A directory on the embedded default, the database otherwise.
    case automatic
    /// The support database's `blobs` table.
    case database
    /// Files in a directory (one machine, or a shared mount).
    case directory
}
