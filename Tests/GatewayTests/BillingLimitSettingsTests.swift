import Billing
import Kernel
import Platform
import Testing

/// `LASTMILE_BILLING_MAX_AMOUNT_KOPECKS`: the largest amount any money input may carry.
@Suite("Billing limit settings")
struct BillingLimitSettingsTests {
    private func load(_ values: [String: String]) async throws -> PlatformSettings {
        try await PlatformSettings.load(overrides: values, environmentFile: "/nonexistent/.env")
    }

    @Test func theDefaultIsTenMillionRoubles() async throws {
        #expect(try await load([:]).billing.maximumAmount == .rub(10_000_000_00))
    }

    @Test func aValueInRangeIsTaken() async throws {
        #expect(try await load(["LASTMILE_BILLING_MAX_AMOUNT_KOPECKS": "50000000"]).billing.maximumAmount == .rub(500_000_00))
    }

    @Test(arguments: ["0", "-1", "1000000000001"])
    func valuesOutOfRangeAreRefusedByName(_ value: String) async throws {
        let error = await #expect(throws: SettingsError.self) { try await load(["LASTMILE_BILLING_MAX_AMOUNT_KOPECKS": value]) }
        #expect(error?.key == "LASTMILE_BILLING_MAX_AMOUNT_KOPECKS")
    }
}
