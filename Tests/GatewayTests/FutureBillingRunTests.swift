import Contracts
import Foundation
import HTTPTypes
import Kernel
import Testing

/// `POST /api/v1/admin/billing/runs` refuses to bill a month that has not begun.
@Suite("Billing runs for future periods")
struct FutureBillingRunTests {
    @Test(arguments: Topology.allCases)
    func nextMonthIsRefusedNamingThePeriodAndItsForecastIsNot(topology: Topology) async throws {
        try await TestPlatform.with(topology: topology) { harness, client in
            let manager = try await harness.token(client, role: .billingManager)
            let next = BillingPeriod.containing(Date(), in: .moscow).next.description
            let refused = try await send(client, .post, "/api/v1/admin/billing/runs", token: manager, body: ["period": next])
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(refused.body["code"] as? String == "invalid-field")
            #expect(refused.body["field"] as? String == "period")
            let runs = try await send(client, .get, "/api/v1/admin/billing/runs", token: manager)
            #expect((runs.body["items"] as? [[String: Any]])?.isEmpty == true, "\(runs.text)")
            let forecast = try await send(client, .post, "/api/v1/admin/billing/runs", token: manager, body: ["period": next, "dryRun": true])
            #expect(forecast.status == .accepted, "\(forecast.text)")
        }
    }
}
