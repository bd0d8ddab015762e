import Billing
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Platform
import TestSupport
import Testing

/// Every money input has a configured maximum, and a balance that would leave a BIGINT is refused, never a 500.
@Suite("Money bounds")
struct MoneyBoundsTests {
    private static let largest = Int(Int64.max)

    private func expectRefused(
        _ answer: (status: HTTPResponse.Status, body: [String: Any], text: String), field: String, _ comment: Comment? = nil
    ) {
        #expect(answer.status == .badRequest, comment ?? "\(answer.text)")
        #expect(answer.body["code"] as? String == "invalid-field", "\(answer.text)")
        #expect(answer.body["field"] as? String == field, "\(answer.text)")
    }

    @Test(arguments: DatabaseKind.available)
    func customerAmountsAboveTheMaximumAreRefusedNamingTheField(_ kind: DatabaseKind) async throws {
        try await TestPlatform.with(kind) { harness, client in
            let maximum = Int(BillingSettings().maximumAmount.minorUnits)
            let a = try await harness.billedCustomer(client)
            for amount in [Self.largest, maximum + 1] {
                expectRefused(
                    try await send(
                        client, .post, "/api/v1/billing/top-up", token: a.token, key: "top-\(amount)",
                        body: ["amount": rub(amount), "provider": "sandbox"]),
                    field: "amount")
                expectRefused(
                    try await send(
                        client, .post, "/api/v1/billing/promised-payment", token: a.token, key: "pp-\(amount)", body: ["amount": rub(amount)]),
                    field: "amount")
            }
            let atMaximum = try await send(
                client, .post, "/api/v1/billing/top-up", token: a.token, key: "top-max", body: ["amount": rub(maximum), "provider": "sandbox"])
            #expect(atMaximum.status == .created, "\(atMaximum.text)")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func operatorAmountsAboveTheMaximumAreRefusedNamingTheField(_ kind: DatabaseKind) async throws {
        try await TestPlatform.with(kind) { harness, client in
            let maximum = Int(BillingSettings().maximumAmount.minorUnits)
            let a = try await harness.billedCustomer(client)
            let manager = try await harness.token(client, role: .billingManager)
            expectRefused(
                try await send(
                    client, .post, "/api/v1/admin/payments", token: manager, key: "cash-big",
                    body: ["customerId": a.customer.id, "amount": rub(Self.largest), "method": "cash"]),
                field: "amount")
            let before = try await harness.platform.localBilling!.balance(of: .customer(a.customer.id)).balance.minorUnits
            let paid = try await send(
                client, .post, "/api/v1/admin/payments", token: manager, key: "cash-max",
                body: ["customerId": a.customer.id, "amount": rub(maximum), "method": "cash"])
            #expect(paid.status == .created, "\(paid.text)")
            let paymentID = try #require(paid.body["id"] as? String)
            expectRefused(
                try await send(
                    client, .post, "/api/v1/admin/payments/\(paymentID)/refunds", token: manager, key: "refund-big",
                    body: ["amount": rub(maximum + 1), "reason": "test"]),
                field: "amount")
            let tariff = try await harness.tariff()
            expectRefused(
                try await send(
                    client, .post, "/api/v1/admin/tariffs/\(tariff.id)/prices", token: manager,
                    body: ["monthlyPrice": rub(Self.largest), "effectiveFrom": "2027-01-01"]),
                field: "monthlyPrice")
            let newTariff: [String: Any] = [
                "code": "huge", "nameRu": "Огромный", "nameEn": "Huge", "downloadMbps": 100, "uploadMbps": 100, "vat": "standard",
                "creditLimit": rub(0), "monthlyPrice": rub(100_00), "effectiveFrom": "2027-01-01",
            ]
            expectRefused(
                try await send(
                    client, .post, "/api/v1/admin/tariffs", token: manager,
                    body: newTariff.merging(["monthlyPrice": rub(maximum + 1)]) { $1 }),
                field: "monthlyPrice")
            expectRefused(
                try await send(
                    client, .post, "/api/v1/admin/tariffs", token: manager, body: newTariff.merging(["creditLimit": rub(Self.largest)]) { $1 }),
                field: "creditLimit")
            let billing = try #require(harness.platform.localBilling)
            await #expect(
                throws: BillingError.invalidField(field: "creditLimit", reason: "must not exceed 1000000000 minor units (RUB 10,000,000.00)")
            ) {
                try await billing.setCreditLimit(customerID: a.customer.id, creditLimit: .rub(Int64(maximum + 1)))
            }
            let balance = try await billing.balance(of: .customer(a.customer.id))
            #expect(balance.balance.minorUnits == before + Int64(maximum))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aBalanceThatWouldOverflowIsAConflictAndStaysAsItWas(_ kind: DatabaseKind) async throws {
        // With no maximum worth the name, only the overflow check stands between the sum and a BIGINT.
        try await TestPlatform.with(kind, configure: { $0.billing.maximumAmount = .rub(Int64.max) }) { harness, client in
            let a = try await harness.billedCustomer(client)
            let manager = try await harness.token(client, role: .billingManager)
            let billing = try #require(harness.platform.localBilling)
            // The largest payment, and then what October's invoice took if anything, take the balance to the very top.
            let before = try await billing.balance(of: .customer(a.customer.id)).balance.minorUnits
            #expect(before <= 0)
            for (key, amount) in [("fill", Self.largest), ("top", Int(-before))] where amount > 0 {
                let filled = try await send(
                    client, .post, "/api/v1/admin/payments", token: manager, key: key,
                    body: ["customerId": a.customer.id, "amount": rub(amount), "method": "cash"])
                #expect(filled.status == .created, "\(filled.text)")
            }
            #expect(try await billing.balance(of: .customer(a.customer.id)).balance.minorUnits == Int64.max)
            for (key, amount) in [("one-more", 1), ("all-more", Self.largest)] {
                let refused = try await send(
                    client, .post, "/api/v1/admin/payments", token: manager, key: key,
                    body: ["customerId": a.customer.id, "amount": rub(amount), "method": "cash"])
                #expect(refused.status == .conflict, "\(refused.text)")
                #expect(refused.body["code"] as? String == "conflict", "\(refused.text)")
            }
            #expect(try await billing.balance(of: .customer(a.customer.id)).balance.minorUnits == Int64.max)
            let ledger = try await billing.verifyLedger()
            #expect(ledger.isClean, "\(ledger)")
        }
    }
}
