import AsyncHTTPClient
import Auth
import ClientTLS
import Contracts
import Customers
import Foundation
import Kernel
import Messaging
import NIOSSL
import Notifications
import SMS
import SMTP
import Storage
import TestSupport
import WebPush

private let environment = ProcessInfo.processInfo.environment

/// The real mail server of the test run (aiosmtpd with STARTTLS and AUTH, started by scripts/test), when there is one.
enum TestMailServer {
    static let url = environment["LASTMILE_TEST_SMTP_URL"]
    static let maildir = environment["LASTMILE_TEST_SMTP_MAILDIR"]
    static let caFile = environment["LASTMILE_TEST_TLS_CA_FILE"]
    static var available: Bool { url != nil && maildir != nil && caFile != nil }
    /// The Web Push service stand-in over `http_ece` and `py_vapid` (scripts/lib/push_service.py).
    static let pushServiceURL = environment["LASTMILE_TEST_PUSH_SERVICE_URL"]

    /// The raw text of the received message whose Message-ID starts with `deliveryID`, if it arrived.
    static func received(deliveryID: String) -> String? {
        guard let maildir, let files = try? FileManager.default.contentsOfDirectory(atPath: maildir) else { return nil }
        for file in files where file.hasSuffix(".eml") {
            guard let text = try? String(contentsOfFile: maildir + "/" + file, encoding: .utf8) else { continue }
            if text.contains("Message-ID: <\(deliveryID)@") { return text }
        }
        return nil
    }
}

/// One database holding customers, auth and notifications as the all-in-one process does, the real customer and
/// auth services as the directory, and the e-mail channel over the test mail server when it runs.
struct NotificationsHarness: Sendable {
    let database: any Database
    let clock: ManualClock
    let customers: CustomersService
    let auth: AuthService
    let service: NotificationsService
    let smtp: SMTPClient?
    /// The sandbox SMS gateway, which records texts.
    let texts: SandboxSMSProvider
    /// The HTTP client of Web Push, when it is on.
    let http: HTTPClient?

    static let migrations = [StorageMigrations.set, AuthMigrations.set, CustomersMigrations.set, NotificationsMigrations.set]

    /// Monday 7 December 2026, 10:00 in Moscow.
    static let morning = Date(timeIntervalSince1970: 1_796_626_800)

    static func with(
        _ kind: DatabaseKind, email: Bool = false, sms: Bool = false, webPush: Bool = false, chat: ChatChannel? = nil, push: MobilePushChannel? = nil,
        start: Date = morning,
        configure: @escaping @Sendable (inout NotificationsSettings) -> Void = { _ in },
        _ body: @escaping @Sendable (NotificationsHarness) async throws -> Void
    ) async throws {
        try await TestDatabases.with(kind, migrations: migrations) { database in
            let clock = ManualClock(start: start)
            var authSettings = AuthSettings()
            authSettings.bcryptCost = 4
            let auth = AuthService(
                database: database, sessions: DatabaseSessionStore(database: database), settings: authSettings, clock: clock,
                logger: TestDatabases.logger)
            let customers = CustomersService(database: database, clock: clock, logger: TestDatabases.logger)
            var settings = NotificationsSettings()
            settings.publicBaseURL = "https://my.isp.test"
            settings.brand = "ЛастМайл"
            settings.firstRetryDelay = 60
            configure(&settings)
            var smtp: SMTPClient?
            var channels: [any DeliveryChannel] = []
            if email, let url = TestMailServer.url, let caFile = TestMailServer.caFile {
                let client = SMTPClient(
                    configuration: try SMTPConfiguration(url: url, tls: ClientTLSConfiguration(caFile: caFile), clientName: "lm-test.example"),
                    logger: TestDatabases.logger)
                smtp = client
                channels.append(EmailChannel(client: client, from: MailAddress("noreply@isp.test", name: "ЛастМайл")))
            }
            let texts = SandboxSMSProvider()
            if sms { channels.append(SMSChannel(provider: texts)) }
            if let chat { channels.append(chat) }
            if let push { channels.append(push) }
            var http: HTTPClient?
            let vapid = VAPIDKeySource(database: database)
            if webPush, let caFile = TestMailServer.caFile {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .file(caFile)
                var configuration = WebPushSender.clientConfiguration()
                configuration.tlsConfiguration = tls
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
                http = client
                settings.webPushHosts = .any
                channels.append(
                    WebPushChannel(client: client, subject: VAPIDSubject("mailto:noc@isp.test")!, hosts: .any, key: { try await vapid.key() }))
            }
            let service = NotificationsService(
                database: database, directory: ServicesDirectory(customers: customers, auth: auth, clock: clock), channels: channels,
                settings: settings, vapid: vapid, clock: clock, logger: TestDatabases.logger)
            let harness = NotificationsHarness(
                database: database, clock: clock, customers: customers, auth: auth, service: service, smtp: smtp, texts: texts, http: http)
            do {
                try await Self.run(body, harness)
            } catch {
                try? await http?.shutdown()
                throw error
            }
            try await http?.shutdown()
        }
    }

    private static func run(_ body: @Sendable (NotificationsHarness) async throws -> Void, _ harness: NotificationsHarness) async throws {
        guard let smtp = harness.smtp else { return try await body(harness) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await smtp.run() }
            defer { group.cancelAll() }
            try await body(harness)
        }
    }

    /// A customer with an account; each call a new one.
    func customer(email: String? = nil, phone: String? = "+79161234567", locale: String = "ru", name: String = "Петров Иван Сергеевич")
        async throws -> Customer
    {
        let login = "c-\(UUID().uuidString.prefix(8).lowercased())@isp.test"
        let user = try await auth.createUser(email: login, password: "correct horse battery", role: .customer, locale: locale)
        return try await customers.createCustomer(
            NewCustomer(
                userId: user.id, fullName: name, phone: phone, email: email ?? login, locale: locale,
                address: PostalAddress(city: "Москва", street: "ул. Тверская", building: "12", apartment: "45")), by: "operator-1")
    }

    /// Delivers an event to the service's consumer through the inbox, as the transports do; whether it ran.
    @discardableResult
    func deliver<Event: DomainEvent>(_ event: Event) async throws -> Bool {
        try await deliver(try EventEnvelope(event, at: clock.now()))
    }

    /// Delivers an envelope (to deliver the same one twice).
    @discardableResult
    func deliver(_ envelope: EventEnvelope) async throws -> Bool {
        try await InboxProcessor(database: database, clock: clock).process(envelope, with: service.eventsConsumer())
    }

    /// Routes and sends until nothing is left to do now.
    func settle() async throws {
        while try await service.routePending() > 0 {}
        while try await service.sendDue() > 0 {}
    }

    /// A customer's whole delivery log.
    func deliveries(of customer: Customer) async throws -> [Delivery] {
        try await service.deliveries(ofCustomer: customer.id, page: PageRequest(limit: 200)).items
    }
}
