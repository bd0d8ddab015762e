import Auth
import Clients
import Contracts
import Customers
import Foundation
import Kernel
import Messaging
import Notifications
import Storage
import TestSupport

/// A notification service over a fresh SQLite database (with the customer and auth services it finds people in),
/// reached in one of the two modes.
struct NotificationsEndpoint: Sendable {
    /// What the test calls.
    let api: any NotificationsAPI
    /// The service itself, for what the API does not offer (its consumer, routing).
    let service: NotificationsService
    /// The customer service beside it.
    let customers: CustomersService
    /// The internal API's base URL (remote mode only).
    let baseURL: String?
    /// The database under both services.
    let database: any Database

    static func with(_ mode: Mode, _ body: @escaping @Sendable (NotificationsEndpoint) async throws -> Void) async throws {
        let migrations = [StorageMigrations.set, AuthMigrations.set, CustomersMigrations.set, NotificationsMigrations.set]
        try await TestDatabases.with(.sqlite, migrations: migrations) { database in
            let clock = ManualClock(start: Date(timeIntervalSince1970: 1_796_626_800))
            let customers = CustomersService(database: database, clock: clock, logger: TestDatabases.logger)
            let service = NotificationsService(
                database: database, directory: ServicesDirectory(customers: customers, auth: nil, clock: clock), channels: [], clock: clock,
                logger: TestDatabases.logger)
            try await ServedEndpoint.with(
                mode, local: service as any NotificationsAPI, service: "notifications",
                routes: { NotificationsInternalRoutes(notifications: service).register(on: $0) }, client: { NotificationsClient(remote: $0) }
            ) { api, baseURL in
                try await body(NotificationsEndpoint(api: api, service: service, customers: customers, baseURL: baseURL, database: database))
            }
        }
    }

    /// A customer; their user id is `u-<id>`.
    func customer(_ id: String = UUID().uuidString.lowercased()) async throws -> Customer {
        try await customers.createCustomer(
            NewCustomer(
                userId: "u-" + id, fullName: "Иванов Иван Иванович", phone: nil, email: "\(id)@isp.test",
                address: PostalAddress(city: "Тула", street: "ул. Ленина", building: "1")), by: nil)
    }

    /// Delivers an event to the service's consumer and routes what it made.
    func deliver<Event: DomainEvent>(_ event: Event) async throws {
        _ = try await InboxProcessor(database: database).process(try EventEnvelope(event, at: Date()), with: service.eventsConsumer())
        while try await service.routePending() > 0 {}
    }
}
