import Contracts
import Customers
import Foundation
import Kernel
import Messaging
import Storage
import TestSupport

/// A customer service over a fresh database, with a manual clock.
struct CustomersHarness: Sendable {
    let database: any Database
    let clock: ManualClock
    let service: CustomersService
    let settings: CustomersSettings

    static let migrations = [StorageMigrations.set, CustomersMigrations.set]

    static func with(
        _ kind: DatabaseKind, configure: @escaping @Sendable (inout CustomersSettings) -> Void = { _ in },
        _ body: @escaping @Sendable (CustomersHarness) async throws -> Void
    ) async throws {
        try await TestDatabases.with(kind, migrations: migrations) { database in
            var settings = CustomersSettings()
            configure(&settings)
            let clock = ManualClock(start: Date(timeIntervalSince1970: 1_790_000_000))
            let service = CustomersService(database: database, settings: settings, clock: clock, logger: TestDatabases.logger)
            try await body(CustomersHarness(database: database, clock: clock, service: service, settings: settings))
        }
    }

    /// A valid registration for a fresh user id.
    static func input(
        name: String = "Иванов Иван Иванович", phone: String? = "+79161234567", email: String? = "ivan@example.com",
        address: PostalAddress = PostalAddress(city: "Москва", street: "ул. Тверская", building: "12", apartment: "45")
    ) -> NewCustomer {
        NewCustomer(userId: UUID().uuidString.lowercased(), fullName: name, phone: phone, email: email, address: address)
    }

    func create(_ input: NewCustomer = CustomersHarness.input()) async throws -> Customer {
        try await service.createCustomer(input, by: "operator-1")
    }

    func count(_ sql: String) async throws -> Int {
        try await database.first(sql)?.int("n") ?? -1
    }

    func outboxTypes() async throws -> [String] {
        try await database.query("SELECT type FROM outbox_events ORDER BY seq", []).map { try $0.string("type") }
    }

    func outboxPayloads(_ type: String) async throws -> [String] {
        try await database.query("SELECT payload FROM outbox_events WHERE type = $1 ORDER BY seq", type).map { try $0.string("payload") }
    }

    /// Delivers an event to the timeline consumer through the inbox, as the transports do.
    @discardableResult
    func deliver(_ event: EventEnvelope) async throws -> Bool {
        try await InboxProcessor(database: database, clock: clock).process(event, with: service.timelineConsumer)
    }
}

/// Runs `body` and returns the customer error it throws, or `nil`.
func customerError(_ body: () async throws -> Void) async -> CustomerError? {
    do {
        try await body()
        return nil
    } catch let error as CustomerError {
        return error
    } catch {
        return nil
    }
}

/// The field an error names, when it is ``CustomerError/invalidField(field:reason:)``.
func invalidField(_ error: CustomerError?) -> String? {
    if case .invalidField(let field, _) = error { return field }
    return nil
}
