import Clients
import Contracts
import Customers
import Foundation
import Kernel
import Storage
import TestSupport

/// A customer service over a fresh SQLite database with a manual clock, reached in one of the two modes.
struct CustomersEndpoint: Sendable {
    /// What the test calls.
    let api: any CustomersAPI
    /// The service itself, for setting up what the API does not offer.
    let service: CustomersService
    /// The service's clock.
    let clock: ManualClock
    /// The service's database.
    let database: any Database
    /// The internal API's base URL (remote mode only).
    let baseURL: String?

    static func with(_ mode: Mode, _ body: @escaping @Sendable (CustomersEndpoint) async throws -> Void) async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, CustomersMigrations.set]) { database in
            let clock = ManualClock(start: Date(timeIntervalSince1970: 1_790_000_000))
            let service = CustomersService(database: database, clock: clock, logger: TestDatabases.logger)
            try await ServedEndpoint.with(
                mode, local: service as any CustomersAPI, service: "customers",
                routes: { CustomersInternalRoutes(customers: service).register(on: $0) }, client: { CustomersClient(remote: $0) }
            ) { api, baseURL in
                try await body(CustomersEndpoint(api: api, service: service, clock: clock, database: database, baseURL: baseURL))
            }
        }
    }

    /// A valid registration for a fresh user id.
    static func newCustomer(
        name: String = "Иванов Иван Иванович", phone: String? = "+79161234567", email: String? = "ivan@example.com",
        address: PostalAddress = PostalAddress(city: "Москва", street: "ул. Тверская", building: "12", apartment: "45")
    ) -> NewCustomer {
        NewCustomer(userId: "u-" + UUID().uuidString.lowercased(), fullName: name, phone: phone, email: email, address: address)
    }
}

/// The field `body`'s refusal names, when it throws `CustomerError.invalidField`; nil when it throws nothing.
func invalidCustomerField(_ body: () async throws -> Void) async throws -> String? {
    do {
        try await body()
        return nil
    } catch CustomerError.invalidField(let field, _) {
        return field
    }
}
