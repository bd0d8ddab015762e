import Contracts
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A number an integer field cannot hold (`100.5`, `1e20`) in otherwise valid JSON names the field, as a string does.
@Suite("Numbers integer fields cannot hold")
struct NumericFieldTests {
    private func post(_ client: any TestClientProtocol, _ uri: String, token: String, body: String) async throws -> [String: Any] {
        var headers = bearer(token)
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("Idempotency-Key")!] = UUID().uuidString
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            #expect(response.status == .badRequest, "\(body): \(String(buffer: response.body))")
            #expect(response.headers[.contentType] == "application/problem+json")
            return try object(response.body)
        }
    }

    @Test(arguments: ["100.5", "1e20", "-1e20", "9223372036854775808", "0.1", "\"100\""])
    func aMoneyAmountNamesItsPath(_ amount: String) async throws {
        try await TestPlatform.with { harness, client in
            let customer = try await harness.token(client, role: .customer)
            let problem = try await post(
                client, "/api/v1/billing/top-up", token: customer,
                body: #"{"amount": {"amount": \#(amount), "currency": "RUB"}, "provider": "sandbox"}"#)
            #expect(problem["code"] as? String == "invalid-type")
            #expect(problem["field"] as? String == "amount.amount")
            #expect((problem["detail"] as? String)?.contains("integer") == true)
        }
    }

    @Test(arguments: ["1.5", "1e40"])
    func anIntegerFieldNamesItsPath(_ value: String) async throws {
        try await TestPlatform.with { harness, client in
            let manager = try await harness.token(client, role: .billingManager)
            let body = #"""
                {"code": "t", "nameRu": "Т", "nameEn": "T", "downloadMbps": 100, "uploadMbps": \#(value), "vat": "standard",
                 "creditLimit": {"amount": 0.0, "currency": "RUB"}, "monthlyPrice": {"amount": 85000, "currency": "RUB"},
                 "effectiveFrom": "2027-01-01"}
                """#
            let problem = try await post(client, "/api/v1/admin/tariffs", token: manager, body: body)
            #expect(problem["code"] as? String == "invalid-type")
            #expect(problem["field"] as? String == "uploadMbps")
        }
    }

    @Test func brokenJSONIsStillMalformed() async throws {
        try await TestPlatform.with { harness, client in
            let customer = try await harness.token(client, role: .customer)
            let problem = try await post(
                client, "/api/v1/billing/top-up", token: customer, body: #"{"amount": {"amount": 100.5, "currency": "RUB"}, "provider": "#)
            #expect(problem["code"] as? String == "malformed-json")
            #expect(problem["field"] == nil)
        }
    }
}
