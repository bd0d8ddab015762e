import Blobs
import Contracts
import Foundation
import Kernel
import Messaging
import Storage
import Support
import TestSupport

/// A support service over a fresh database, with a manual clock.
struct SupportHarness: Sendable {
    let database: any Database
    let clock: ManualClock
    let service: SupportService

    static let migrations = [StorageMigrations.set, SupportMigrations.set, BlobsMigrations.set]

    static func with(
        _ kind: DatabaseKind, configure: @escaping @Sendable (inout SupportSettings) -> Void = { _ in },
        _ body: @escaping @Sendable (SupportHarness) async throws -> Void
    ) async throws {
        try await TestDatabases.with(kind, migrations: migrations) { database in
            var settings = SupportSettings()
            configure(&settings)
            // Monday 7 December 2026, 10:00 in Moscow: inside working hours.
            let clock = ManualClock(start: Date(timeIntervalSince1970: 1_796_626_800))
            let service = SupportService(database: database, settings: settings, clock: clock, logger: TestDatabases.logger)
            try await body(SupportHarness(database: database, clock: clock, service: service))
        }
    }

    /// A customer of the desk; each call a new one unless `customer` is given.
    static func requester(
        customer: String = UUID().uuidString.lowercased(), locale: String = "ru", address: String? = "Москва, ул. Тверская, 12",
        suspended: Bool? = false, tariffs: [String]? = ["Домашний 100"]
    ) -> TicketRequester {
        TicketRequester(
            customerId: customer, userId: "user-" + customer, name: "Иван", locale: locale, address: address, suspended: suspended,
            tariffs: tariffs)
    }

    @discardableResult
    func open(
        _ subject: String = "Медленно грузятся страницы", text: String = "Вечером скорость падает до 5 Мбит/с",
        category: TicketCategory = .slowSpeed, about: TicketSubject? = nil, by requester: TicketRequester = SupportHarness.requester()
    ) async throws -> Ticket {
        try await service.createTicket(NewTicket(subject: subject, text: text, category: category, about: about), requester: requester)
    }

    /// Registers an operator and puts them online.
    @discardableResult
    func agent(
        _ id: String, skills: [TicketCategory] = TicketCategory.allCases, languages: [String] = ["ru", "en"], maximum: Int = 20,
        online: Bool = true
    ) async throws -> SupportAgent {
        _ = try await service.setAgent(
            userID: id, AgentProfile(name: "Оператор \(id)", skills: skills, languages: languages, maximumOpenTickets: maximum))
        return try await service.setAgentState(userID: id, online ? .online : .offline)
    }

    /// Runs assignment passes until one assigns nothing; returns how many were assigned.
    @discardableResult
    func assignAll() async throws -> Int {
        var total = 0
        while true {
            let assigned = try await service.assignWaiting()
            total += assigned
            if assigned == 0 { return total }
        }
    }

    func outbox(_ type: String) async throws -> [String] {
        try await database.query("SELECT payload FROM outbox_events WHERE type = $1 ORDER BY seq", type).map { try $0.string("payload") }
    }

    /// Delivers an event to one of the service's consumers through the inbox, as the transports do.
    @discardableResult
    func deliver(_ event: EventEnvelope, to consumer: EventConsumer) async throws -> Bool {
        try await InboxProcessor(database: database, clock: clock).process(event, with: consumer)
    }
}
