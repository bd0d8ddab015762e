import Auth
import Billing
import Contracts
import Customers
import Foundation
import Kernel
import Storage
import Support

/// Demo logins created on the first start, with passwords generated on that start and shown once.
public struct DemoCredentials: Sendable {
    /// The operator's e-mail.
    public var adminEmail: String
    /// The operator's password.
    public var adminPassword: String
    /// The subscriber's e-mail.
    public var customerEmail: String
    /// The subscriber's password.
    public var customerPassword: String
}

/// Seeds demo users when the database has none.
public enum DemoData {
    /// Creates a demo admin and a demo customer if there are no users yet; `nil` when users exist.
    ///
    /// The customer gets a card with a contract, a subscription since the start of last month and last month's
    /// invoice, unpaid, so the personal account has something to show and to pay; `demoCustomers` generated customers
    /// (``seedCustomers(count:seed:startingAt:batchSize:concurrency:platform:now:timings:onBatch:)``) fill the
    /// operators' lists, each with last month's invoice too.
    public static func seedIfEmpty(platform: Platform, demoCustomers: Int = 1_000, now: Date = Date()) async throws -> DemoCredentials? {
        let (auth, customers, billing) = try platform.localServices()
        let timeZone = platform.settings.timeZone
        guard try await auth.userCount() == 0 else { return nil }
        let credentials = DemoCredentials(
            adminEmail: "admin@demo.lastmile.local", adminPassword: SecureRandom.password(),
            customerEmail: "customer@demo.lastmile.local", customerPassword: SecureRandom.password())
        let admin = try await auth.createUser(
            email: credentials.adminEmail, password: credentials.adminPassword, role: .admin, locale: "ru")
        // The demo operator also answers tickets, so a ticket opened in the demo finds someone at once.
        if let support = platform.localSupport {
            _ = try await support.setAgent(
                userID: admin.id, AgentProfile(name: "Оператор", skills: TicketCategory.allCases, languages: ["ru", "en"], isSupervisor: true))
            _ = try await support.setAgentState(userID: admin.id, .online)
            _ = try await support.setCannedReply(
                id: nil,
                CannedReplyInput(
                    title: "Перезагрузка роутера",
                    text: "{{customer.first_name}}, добрый день! Выключите роутер из розетки на 30 секунд и включите снова. "
                        + "Если связь не появится, ответьте в этом обращении № {{ticket.number}}. {{operator.name}}",
                    category: .noConnection))
        }
        let user = try await auth.createUser(
            email: credentials.customerEmail, password: credentials.customerPassword, role: .customer, locale: "ru")

        let today = LocalDate(containing: now, in: timeZone)
        let lastPeriod = today.period.previous
        let tariffs = try await seedTariffs(billing: billing, from: today.adding(days: -800))
        let customer = try await customers.createCustomer(
            NewCustomer(
                userId: user.id, fullName: "Иванов Иван Иванович", phone: "+79161234567", email: credentials.customerEmail, locale: "ru",
                address: PostalAddress(city: "Москва", street: "ул. Тверская", building: "7", apartment: "15"),
                signedOn: lastPeriod.firstDay),
            by: nil)
        _ = try await billing.openAccount(customerID: customer.id, userID: user.id)
        // Before the run, so it invoices them too: a subscription created after its period's run would be charged at
        // once instead, one by one.
        if demoCustomers > 0 { try await seedCustomers(count: demoCustomers, platform: platform, now: now) }
        if let contract = customer.contracts.first, let tariff = tariffs.first(where: { $0.code == "home-300" }) {
            _ = try await billing.createSubscription(
                NewSubscription(customerId: customer.id, contractId: contract.id, tariffId: tariff.id, startsOn: lastPeriod.firstDay))
            _ = try await billing.runBilling(period: lastPeriod, dryRun: false, by: nil)
        }
        return credentials
    }

    /// The demo tariff line-up: three current tariffs and one archived.
    static func seedTariffs(billing: BillingService, from day: LocalDate) async throws -> [Tariff] {
        let lineUp: [(String, String, String, Int, Int64)] = [
            ("home-100", "Домашний 100", "Home 100", 100, 650_00),
            ("home-300", "Домашний 300", "Home 300", 300, 850_00),
            ("home-500", "Домашний 500", "Home 500", 500, 1_050_00),
            ("start-50", "Старт 50", "Start 50", 50, 450_00),
        ]
        var created: [Tariff] = []
        for (code, nameRu, nameEn, speed, price) in lineUp {
            var tariff = try await billing.createTariff(
                NewTariff(
                    code: code, nameRu: nameRu, nameEn: nameEn, downloadMbps: speed, uploadMbps: speed, vat: .standard,
                    creditLimit: .rub(0), monthlyPrice: .rub(price), effectiveFrom: day))
            if code == "start-50" { tariff = try await billing.archiveTariff(tariffID: tariff.id) }
            created.append(tariff)
        }
        return created
    }
}

extension DemoData {
    /// Seeds `count` generated customers end to end: the customer cards with contracts, their user accounts (imported
    /// without passwords: an operator invites them through the password reset), their billing accounts and one
    /// subscription each to one of the active tariffs, started on a day of the last two years. Every stage is
    /// written in bulk, a batch per transaction, with up to `concurrency` batches in flight (one on SQLite).
    ///
    /// The same `seed` and `start` give the same people. `onBatch` hears every committed batch; `timings` the time of
    /// each stage (those of ``DemoLoader``, then `users` and `billing`). In a database where a monthly run has started
    /// for a period the subscriptions start in, billing charges those days at once, one subscription at a time (see
    /// `BillingService.importSubscribers`), which takes milliseconds per customer instead of microseconds.
    @discardableResult
    public static func seedCustomers(
        count: Int, seed: UInt64 = 1, startingAt start: Int = 0, batchSize: Int = 2_000, concurrency: Int = 3, platform: Platform,
        now: Date = Date(), timings: DemoTimings = DemoTimings(), onBatch: @escaping @Sendable ([DemoSeededCustomer]) async throws -> Void = { _ in }
    ) async throws -> Int {
        let today = LocalDate(containing: now, in: platform.settings.timeZone)
        let (auth, _, billing) = try platform.localServices()
        var tariffs = try await billing.tariffs(includeArchived: false)
        if tariffs.isEmpty {
            tariffs = try await seedTariffs(billing: billing, from: today.adding(days: -800)).filter { !$0.isArchived }
        }
        let tariffIDs = tariffs.sorted { $0.code < $1.code }.map(\.id)
        return try await DemoLoader(database: platform.database, settings: platform.settings.customers).load(
            count: count, seed: seed, startingAt: start, batchSize: batchSize,
            concurrency: platform.database.dialect == .postgres ? concurrency : 1, timings: timings,
            onBatch: { batch in
                let users = batch.map { ImportedUser(id: $0.userId, email: $0.email, role: .customer, locale: $0.locale) }
                let subscribers = batch.map { customer in
                    ImportedSubscriber(
                        customerId: customer.customerId, userId: customer.userId, contractId: customer.contractId,
                        tariffId: tariffIDs[customer.index % tariffIDs.count], startsOn: today.adding(days: -(30 + (customer.index * 7_919) % 700)))
                }
                // Auth and billing own separate tables: the batch goes to both at once.
                async let imported: Void = timings.measure("users") { try await auth.importUsers(users) }
                try await timings.measure("billing") { _ = try await billing.importSubscribers(subscribers) }
                try await imported
                try await onBatch(batch)
            })
    }
}

extension Platform {
    /// The three services, when this process runs them all (demo data and the operator commands need them here).
    public func localServices() throws -> (auth: AuthService, customers: CustomersService, billing: BillingService) {
        guard let localAuth, let localCustomers, let localBilling else { throw NotAllInOne() }
        return (localAuth, localCustomers, localBilling)
    }
}

/// A command that needs every service in this process ran in one that runs only some.
public struct NotAllInOne: Error, CustomStringConvertible {
    /// A one-line explanation.
    public var description: String { "this needs the auth, customers and billing services in this process (run it without --service)" }
}
