import Billing
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import NIOCore
import Platform
import TestSupport
import Testing

/// Saved cards, autopay and the providers list through the gateway, in one process and across processes.
@Suite struct SavedCardFlowTests {
    @Test(arguments: Topology.allCases)
    func aCustomerSavesACardTurnsAutopayOnAndNobodyElseSeesEither(topology: Topology) async throws {
        try await TestPlatform.with(topology: topology) { harness, client in
            let both = try await harness.billedCustomers(client, names: ["Петров Пётр Петрович", "Сидорова Анна Сергеевна"])
            let (a, b) = (both[0], both[1])
            let providers = try await client.execute(uri: "/api/v1/billing/providers", method: .get) { try object($0.body) }
            let listed = try #require(providers["items"] as? [[String: Any]])
            #expect(listed.map { $0["name"] as? String } == ["sandbox"] && listed.first?["savesMethods"] as? Bool == true)

            // The receipt goes to the customer's own e-mail when the order names none.
            let topUp = try await send(
                client, .post, "/api/v1/billing/top-up", token: a.token, key: "a-save",
                body: ["amount": rub(300_00), "provider": "sandbox", "saveMethod": true])
            #expect(topUp.status == .created)
            let confirmation = try #require(topUp.body["confirmationURL"] as? String)
            #expect(try await harness.confirmSandbox(client, confirmationURL: confirmation) == .ok)

            let methods = try await send(client, .get, "/api/v1/billing/saved-methods", token: a.token)
            let method = try #require((methods.body["items"] as? [[String: Any]])?.first)
            let methodID = try #require(method["id"] as? String)
            #expect(method["token"] == nil, "a provider token never leaves billing")
            #expect((try await send(client, .get, "/api/v1/billing/saved-methods", token: b.token).body["items"] as? [Any])?.isEmpty == true)

            let refused = try await send(client, .put, "/api/v1/billing/autopay", token: b.token, body: ["enabled": true, "methodId": methodID])
            #expect(refused.status == .badRequest && refused.body["field"] as? String == "methodId")
            let on = try await send(client, .put, "/api/v1/billing/autopay", token: a.token, body: ["enabled": true, "methodId": methodID])
            #expect(on.status == .ok && (on.body["settings"] as? [String: Any])?["enabled"] as? Bool == true)
            let badThreshold = try await send(
                client, .put, "/api/v1/billing/autopay", token: a.token, body: ["enabled": true, "methodId": methodID, "threshold": rub(100_00)])
            #expect(badThreshold.status == .badRequest && badThreshold.body["field"] as? String == "topUpAmount")

            let paid = try await send(
                client, .post, "/api/v1/billing/pay", token: a.token, key: "a-saved-pay",
                body: ["invoiceId": a.invoiceID, "method": "provider", "savedMethodId": methodID])
            #expect(paid.status == .created && paid.body["status"] as? String == "succeeded")
            let othersCard = try await send(
                client, .post, "/api/v1/billing/pay", token: b.token, key: "b-saved-pay",
                body: ["invoiceId": b.invoiceID, "method": "provider", "savedMethodId": methodID])
            #expect(othersCard.status == .badRequest && othersCard.body["field"] as? String == "savedMethodId")

            #expect(try await send(client, .delete, "/api/v1/billing/saved-methods/\(methodID)", token: b.token).status == .notFound)
            #expect(try await send(client, .delete, "/api/v1/billing/saved-methods/\(methodID)", token: a.token).status == .noContent)
            let off = try await send(client, .get, "/api/v1/billing/autopay", token: a.token)
            #expect((off.body["settings"] as? [String: Any])?["enabled"] as? Bool == false)
            #expect(try await harness.platform.localBilling!.verifyLedger().isClean)
        }
    }

    @Test(arguments: Topology.allCases)
    func aProvidersNotificationIsAnsweredInItsOwnWords(topology: Topology) async throws {
        try await TestPlatform.with(topology: topology) { _, client in
            let unknown = try await client.execute(
                uri: "/api/v1/billing/providers/acme/notifications", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}")
            ) { $0.status }
            #expect(unknown == .notFound)
            let forged = try await client.execute(
                uri: "/api/v1/billing/providers/sandbox/notifications", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("X-Sandbox-Signature")!: String(repeating: "0", count: 64)],
                body: ByteBuffer(string: #"{"paymentId":"x"}"#)
            ) { ($0.status, $0.headers[.contentType]) }
            #expect(forged.0 == .badRequest && forged.1 == "application/problem+json")
        }
    }
}
