import Auth
import Billing
import Contracts
import Customers
import Foundation
import Kernel

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
    /// invoice, unpaid, so the personal account has something to show and to pay.
    public static func seedIfEmpty(
        auth: AuthService, customers: CustomersService, billing: BillingService, timeZone: TimeZone, now: Date = Date()
    ) async throws -> DemoCredentials? {
        guard try await auth.userCount() == 0 else { return nil }
        let credentials = DemoCredentials(
            adminEmail: "admin@demo.lastmile.local", adminPassword: SecureRandom.password(),
            customerEmail: "customer@demo.lastmile.local", customerPassword: SecureRandom.password())
        _ = try await auth.createUser(email: credentials.adminEmail, password: credentials.adminPassword, role: .admin, locale: "ru")
        let user = try await auth.createUser(
            email: credentials.customerEmail, password: credentials.customerPassword, role: .customer, locale: "ru")

        let today = LocalDate(containing: now, in: timeZone)
        let lastPeriod = today.period.previous
        let tariffs = try await seedTariffs(billing: billing, from: lastPeriod.previous.firstDay)
        let customer = try await customers.createCustomer(
            NewCustomer(
                userId: user.id, fullName: "Иванов Иван Иванович", phone: "+79161234567", email: credentials.customerEmail, locale: "ru",
                address: PostalAddress(city: "Москва", street: "ул. Тверская", building: "7", apartment: "15"),
                signedOn: lastPeriod.firstDay),
            by: nil)
        _ = try await billing.openAccount(customerID: customer.id, userID: user.id)
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
