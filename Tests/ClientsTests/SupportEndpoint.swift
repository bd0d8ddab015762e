import Blobs
import Clients
import Contracts
import Foundation
import Kernel
import Storage
import Support
import TestSupport

/// A support service over a fresh SQLite database with a manual clock, reached in one of the two modes.
struct SupportEndpoint: Sendable {
    /// What the test calls.
    let api: any SupportAPI
    /// The service itself, for what the API does not offer (assignment passes).
    let service: SupportService
    /// The service's clock.
    let clock: ManualClock
    /// The internal API's base URL (remote mode only).
    let baseURL: String?

    static func with(_ mode: Mode, _ body: @escaping @Sendable (SupportEndpoint) async throws -> Void) async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, SupportMigrations.set, BlobsMigrations.set]) { database in
            let clock = ManualClock(start: Date(timeIntervalSince1970: 1_796_626_800))
            let service = SupportService(database: database, clock: clock, logger: TestDatabases.logger)
            try await ServedEndpoint.with(
                mode, local: service as any SupportAPI, service: "support",
                routes: { SupportInternalRoutes(support: service).register(on: $0) }, client: { SupportClient(remote: $0) }
            ) { api, baseURL in
                try await body(SupportEndpoint(api: api, service: service, clock: clock, baseURL: baseURL))
            }
        }
    }

    static func requester(_ id: String = UUID().uuidString.lowercased()) -> TicketRequester {
        TicketRequester(customerId: "c-" + id, userId: "u-" + id, name: "Иванов Иван Иванович", locale: "ru", suspended: false, tariffs: [])
    }
}
