import Billing
import Clients
import Contracts
import Storage
import TestSupport

/// A billing service over a fresh SQLite database, reached in one of the two modes.
struct BillingEndpoint: Sendable {
    /// What the test calls.
    let api: any BillingAPI
    /// The service itself, for setting up what the API does not offer.
    let service: BillingService
    /// The internal API's base URL (remote mode only).
    let baseURL: String?

    static func with(_ mode: Mode, _ body: @escaping @Sendable (BillingEndpoint) async throws -> Void) async throws {
        try await TestDatabases.with(.sqlite, migrations: [StorageMigrations.set, BillingMigrations.set]) { database in
            let service = BillingService(database: database, settings: BillingSettings(), logger: TestDatabases.logger)
            try await ServedEndpoint.with(
                mode, local: service as any BillingAPI, service: "billing", routes: { BillingInternalRoutes(billing: service).register(on: $0) },
                client: { BillingClient(remote: $0) }
            ) { api, baseURL in
                try await body(BillingEndpoint(api: api, service: service, baseURL: baseURL))
            }
        }
    }
}
