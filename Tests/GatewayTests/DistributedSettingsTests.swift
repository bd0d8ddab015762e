import Foundation
import Platform
import Testing

/// `LASTMILE_SERVICES` and what a process of some roles needs: the settings refuse a distributed process that could
/// not work, naming the setting.
@Suite("Distributed settings")
struct DistributedSettingsTests {
    static let key = Data(repeating: 7, count: 32).base64EncodedString()
    static let servers = [
        "LASTMILE_DATABASE_URL": "postgres://lastmile:secret@127.0.0.1:5432/lastmile", "LASTMILE_REDIS_URL": "redis://127.0.0.1:6379/0",
        "LASTMILE_AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/", "LASTMILE_SERVICE_KEY": key,
    ]

    private func load(_ values: [String: String]) async throws -> PlatformSettings {
        try await PlatformSettings.load(overrides: values, environmentFile: "/nonexistent/.env")
    }

    @Test("Without LASTMILE_SERVICES everything runs in one process and nothing else is required")
    func allInOneByDefault() async throws {
        let settings = try await load([:])
        #expect(settings.distributed.isAllInOne)
        #expect(settings.distributed.roles == Set(ServiceRole.allCases))
    }

    @Test("A gateway with its services' addresses, replicas included, and a billing process")
    func rolesAndAddresses() async throws {
        let gateway = try await load(
            Self.servers.merging([
                "LASTMILE_SERVICES": "gateway", "LASTMILE_AUTH_URL": "http://auth:8080",
                "LASTMILE_CUSTOMERS_URL": "http://customers:8080", "LASTMILE_BILLING_URL": "http://billing-1:8080, http://billing-2:8080/",
                "LASTMILE_SUPPORT_URL": "http://support:8080", "LASTMILE_NOTIFICATIONS_URL": "http://notifications:8080",
            ]) { $1 })
        #expect(gateway.distributed.roles == [.gateway])
        #expect(gateway.distributed.urls[.billing] == ["http://billing-1:8080", "http://billing-2:8080/"])
        let billing = try await load(
            Self.servers.merging(["LASTMILE_SERVICES": "billing", "LASTMILE_BILLING_DATABASE_URL": "postgres://b:s@10.0.0.9/billing"]) { $1 })
        #expect(billing.distributed.roles == [.billing])
        #expect(billing.distributed.databaseURLs[.billing] == "postgres://b:s@10.0.0.9/billing")
        #expect(billing.distributed.serviceKey?.count == 32)
    }

    @Test(
        "A process that could not work is refused, naming the setting",
        arguments: [
            (["LASTMILE_SERVICES": "billing", "LASTMILE_AMQP_URL": ""], "LASTMILE_AMQP_URL"),
            (["LASTMILE_SERVICES": "billing", "LASTMILE_SERVICE_KEY": ""], "LASTMILE_SERVICE_KEY"),
            (["LASTMILE_SERVICES": "billing", "LASTMILE_SERVICE_KEY": "c2hvcnQ="], "LASTMILE_SERVICE_KEY"),
            (["LASTMILE_SERVICES": "gateway"], "LASTMILE_AUTH_URL"),
            (["LASTMILE_SERVICES": "gateway,auth,customers", "LASTMILE_BILLING_URL": "ftp://billing"], "LASTMILE_BILLING_URL"),
            (["LASTMILE_SERVICES": "billing", "LASTMILE_DATABASE_URL": ""], "LASTMILE_DATABASE_URL"),
            (["LASTMILE_SERVICES": "gateway,crm"], "LASTMILE_SERVICES"),
            (["LASTMILE_SERVICES": "notifications"], "LASTMILE_CUSTOMERS_URL"),
            (["LASTMILE_SERVICES": "notifications,customers"], "LASTMILE_AUTH_URL"),
            (["LASTMILE_BILLING_DATABASE_URL": "postgres://b:s@10.0.0.9/billing", "LASTMILE_AMQP_URL": ""], "LASTMILE_BILLING_DATABASE_URL"),
            (["LASTMILE_SERVICE_TIMEOUT_MS": "5"], "LASTMILE_SERVICE_TIMEOUT_MS"),
            (["LASTMILE_TRUSTED_PROXIES": "10.0.0.0/8, nginx"], "LASTMILE_TRUSTED_PROXIES"),
        ])
    func refused(values: [String: String], key: String) async throws {
        let error = await #expect(throws: SettingsError.self) { try await load(Self.servers.merging(values) { $1 }) }
        #expect(error?.key == key, "\(String(describing: error))")
    }
}
