import Billing
import Contracts
import Customers
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import NIOCore
import Platform
import Storage
import TestSupport
import Testing

/// A customer with a contract, a subscription since October 2026 and October's invoice.
struct BilledCustomer {
    var user: UserProfile
    var customer: Customer
    var token: String
    var invoiceID: String
}

extension TestPlatform {
    /// The tariff the billed customers subscribe to, created once per platform.
    func tariff(code: String = "home-300") async throws -> Tariff {
        if let existing = try await platform.localBilling!.tariffs(includeArchived: true).first(where: { $0.code == code }) { return existing }
        return try await platform.localBilling!.createTariff(
            NewTariff(
                code: code, nameRu: "Домашний 300", nameEn: "Home 300", downloadMbps: 300, uploadMbps: 300, vat: .standard,
                creditLimit: .rub(0), monthlyPrice: .rub(850_00), effectiveFrom: LocalDate(year: 2026, month: 1, day: 1)!))
    }

    /// Registers customers through the services, each with a subscription since October 2026, then bills October.
    func billedCustomers(_ client: any TestClientProtocol, names: [String]) async throws -> [BilledCustomer] {
        var registered: [(UserProfile, Customer)] = []
        for name in names {
            let user = try await user(.customer)
            let customer = try await platform.localCustomers!.createCustomer(
                NewCustomer(
                    userId: user.id, fullName: name, phone: "+79161234567", email: user.email,
                    address: PostalAddress(city: "Москва", street: "ул. Тверская", building: "7", apartment: "15"),
                    signedOn: LocalDate(year: 2026, month: 10, day: 1)),
                by: nil)
            _ = try await platform.localBilling!.openAccount(customerID: customer.id, userID: user.id)
            _ = try await platform.localBilling!.createSubscription(
                NewSubscription(
                    customerId: customer.id, contractId: customer.contracts[0].id, tariffId: try await tariff().id,
                    startsOn: LocalDate(year: 2026, month: 10, day: 1)!))
            registered.append((user, customer))
        }
        _ = try await platform.localBilling!.runBilling(period: BillingPeriod(year: 2026, month: 10)!, dryRun: false, by: nil)
        var billed: [BilledCustomer] = []
        for (user, customer) in registered {
            let invoices = try await platform.localBilling!.invoices(of: .customer(customer.id), page: PageRequest())
            let token = try await login(client, user.email)["accessToken"] as! String
            billed.append(BilledCustomer(user: user, customer: customer, token: token, invoiceID: try #require(invoices.items.first?.id)))
        }
        return billed
    }

    /// One billed customer.
    func billedCustomer(_ client: any TestClientProtocol, name: String = "Петров Пётр Петрович") async throws -> BilledCustomer {
        try await billedCustomers(client, names: [name])[0]
    }
}

/// Sends JSON with a bearer token (and an idempotency key when given); returns status and body.
func send(
    _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String, key: String? = nil, body: Any? = nil
) async throws -> (status: HTTPResponse.Status, body: [String: Any], text: String) {
    var headers = bearer(token)
    if body != nil { headers[.contentType] = "application/json" }
    if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
    return try await client.execute(uri: uri, method: method, headers: headers, body: body.map(json)) { response in
        (response.status, (try? object(response.body)) ?? [:], String(buffer: response.body))
    }
}

/// `{"amount": kopecks, "currency": "RUB"}`.
func rub(_ kopecks: Int) -> [String: Any] { ["amount": kopecks, "currency": "RUB"] }

@Suite struct BillingFlowTests {
    @Test(arguments: DatabaseKind.available, Topology.allCases)
    func customerSeesInvoicesTopsUpAndPaysWithAnIdempotencyKey(_ kind: DatabaseKind, _ topology: Topology) async throws {
        try await TestPlatform.with(kind, topology: topology) { harness, client in
            let a = try await harness.billedCustomer(client)
            let overview = try await send(client, .get, "/api/v1/billing/invoices", token: a.token)
            #expect(overview.status == .ok)
            #expect((overview.body["missing"] as? [String]) == [])
            #expect(((overview.body["customer"] as? [String: Any])?["fullName"] as? String) == "Петров Пётр Петрович")
            let invoices = try #require(overview.body["invoices"] as? [[String: Any]])
            #expect(invoices.map { $0["id"] as? String } == [a.invoiceID])

            // Nothing on the balance yet: paying from it is refused, and the refusal replays under its key.
            let pay: [String: Any] = ["invoiceId": a.invoiceID, "method": "balance"]
            let refused = try await send(client, .post, "/api/v1/billing/pay", token: a.token, key: "pay-1", body: pay)
            #expect(refused.status.code == 402)
            #expect(refused.body["code"] as? String == "insufficient-funds")
            let refusedAgain = try await send(client, .post, "/api/v1/billing/pay", token: a.token, key: "pay-1", body: pay)
            #expect(refusedAgain.status.code == 402)

            // Top up through the sandbox provider and confirm on its page.
            let topUp = try await send(
                client, .post, "/api/v1/billing/top-up", token: a.token, key: "top-1", body: ["amount": rub(1_000_00), "provider": "sandbox"])
            #expect(topUp.status == .created)
            let paymentID = try #require(topUp.body["id"] as? String)
            let confirmation = try #require(topUp.body["confirmationURL"] as? String)
            #expect(confirmation.contains("/sandbox/pay/\(paymentID)?token="))
            #expect(try await harness.confirmSandbox(client, confirmationURL: confirmation) == .ok)
            let balance = try await send(client, .get, "/api/v1/billing/balance", token: a.token)
            #expect(((balance.body["balance"] as? [String: Any])?["amount"] as? Int) == 1_000_00)

            // The refusal under pay-1 is what that key answers for good; a fresh key pays.
            #expect(try await send(client, .post, "/api/v1/billing/pay", token: a.token, key: "pay-1", body: pay).status.code == 402)
            let paid = try await send(client, .post, "/api/v1/billing/pay", token: a.token, key: "pay-2", body: pay)
            #expect(paid.status == .created)
            #expect(paid.body["status"] as? String == "succeeded")
            let replay = try await send(client, .post, "/api/v1/billing/pay", token: a.token, key: "pay-2", body: pay)
            #expect(replay.status == .created)
            #expect(replay.body["id"] as? String == paid.body["id"] as? String)
            let reused = try await send(
                client, .post, "/api/v1/billing/pay", token: a.token, key: "pay-2", body: ["invoiceId": a.invoiceID, "method": "provider"])
            #expect(reused.status == .unprocessableContent)
            #expect(reused.body["field"] as? String == "Idempotency-Key")
            let missing = try await send(client, .post, "/api/v1/billing/pay", token: a.token, body: pay)
            #expect(missing.status == .badRequest)
            #expect(missing.body["field"] as? String == "Idempotency-Key")

            let after = try await send(client, .get, "/api/v1/billing/balance", token: a.token)
            #expect(((after.body["balance"] as? [String: Any])?["amount"] as? Int) == 1_000_00 - 850_00)
            let detail = try await send(client, .get, "/api/v1/billing/invoices/\(a.invoiceID)", token: a.token)
            #expect(((detail.body["invoice"] as? [String: Any])?["status"] as? String) == "paid")
            #expect(try await harness.platform.localBilling!.verifyLedger().isClean)
        }
    }

    @Test(arguments: Topology.allCases)
    func aCustomerNeverReachesAnotherCustomersObjects(topology: Topology) async throws {
        try await TestPlatform.with(topology: topology) { harness, client in
            let both = try await harness.billedCustomers(client, names: ["Петров Пётр Петрович", "Сидорова Анна Сергеевна"])
            let (a, b) = (both[0], both[1])
            let topUp = try await send(
                client, .post, "/api/v1/billing/top-up", token: a.token, key: "a-top", body: ["amount": rub(500_00), "provider": "sandbox"])
            let paymentID = try #require(topUp.body["id"] as? String)

            #expect(try await send(client, .get, "/api/v1/billing/invoices/\(a.invoiceID)", token: b.token).status == .notFound)
            #expect(try await send(client, .get, "/api/v1/billing/payments/\(paymentID)", token: b.token).status == .notFound)
            let paysOthers = try await send(
                client, .post, "/api/v1/billing/pay", token: b.token, key: "b-pay", body: ["invoiceId": a.invoiceID, "method": "balance"])
            #expect(paysOthers.status == .notFound)
            let overview = try await send(client, .get, "/api/v1/billing/invoices", token: b.token)
            #expect((overview.body["invoices"] as? [[String: Any]])?.map { $0["id"] as? String } == [b.invoiceID])
            #expect(((overview.body["customer"] as? [String: Any])?["id"] as? String) == b.customer.id)
            // The owner still reaches both.
            #expect(try await send(client, .get, "/api/v1/billing/invoices/\(a.invoiceID)", token: a.token).status == .ok)
            #expect(try await send(client, .get, "/api/v1/billing/payments/\(paymentID)", token: a.token).status == .ok)
            // Customers cannot use operator routes with ids either.
            #expect(try await send(client, .get, "/api/v1/admin/customers/\(a.customer.id)", token: b.token).status == .forbidden)
        }
    }

    @Test(arguments: Topology.allCases)
    func aCustomerChangesOnlyTheAllowedFieldsOfTheirCard(topology: Topology) async throws {
        try await TestPlatform.with(topology: topology) { harness, client in
            let a = try await harness.billedCustomer(client)
            let forbidden: [(String, Any)] = [("status", "blocked"), ("balance", rub(1_000_000)), ("userId", "x"), ("fullName", "X")]
            for (field, value) in forbidden {
                let response = try await send(client, .patch, "/api/v1/customers/me", token: a.token, body: ["phone": "+79990001122", field: value])
                #expect(response.status == .badRequest, "\(field)")
                #expect(response.body["field"] as? String == field)
            }
            #expect(try await harness.platform.localCustomers!.customer(id: a.customer.id).phone == "+79161234567")
            let changed = try await send(client, .patch, "/api/v1/customers/me", token: a.token, body: ["phone": "8 (999) 000-11-22"])
            #expect(changed.status == .ok)
            #expect(changed.body["phone"] as? String == "+79990001122")
            let bad = try await send(client, .patch, "/api/v1/customers/me", token: a.token, body: ["email": "not-an-email"])
            #expect(bad.status == .badRequest)
            #expect(bad.body["field"] as? String == "email")
        }
    }

    @Test(arguments: Topology.allCases)
    func theInvoicePageNamesTheMissingPartWhenTheCustomerServiceFails(topology: Topology) async throws {
        try await TestPlatform.with(topology: topology) { harness, client in
            let a = try await harness.billedCustomer(client)
            // A real fault: the customer service's tables are gone, billing's are intact.
            try await harness.platform.database.query("DROP TABLE contracts", [])
            try await harness.platform.database.query("DROP TABLE customers", [])
            let overview = try await send(client, .get, "/api/v1/billing/invoices", token: a.token)
            #expect(overview.status == .ok)
            #expect((overview.body["missing"] as? [String]) == ["customer"])
            #expect(overview.body["customer"] == nil || overview.body["customer"] is NSNull)
            #expect((overview.body["invoices"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test(arguments: Topology.allCases)
    func anOperatorRunsTheMonthAndSeesItsResult(topology: Topology) async throws {
        try await TestPlatform.with(topology: topology, backgroundWork: true) { harness, client in
            let a = try await harness.billedCustomer(client)
            let manager = try await harness.token(client, role: .billingManager)
            let started = try await send(client, .post, "/api/v1/admin/billing/runs", token: manager, body: ["period": "2026-11"])
            #expect(started.status == .accepted)
            let runID = try #require(started.body["id"] as? String)
            var run: [String: Any] = [:]
            for _ in 0..<500 {
                run = try await send(client, .get, "/api/v1/admin/billing/runs/\(runID)", token: manager).body
                if run["status"] as? String != "running" { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(run["status"] as? String == "completed")
            #expect(run["invoicesCreated"] as? Int == 1)
            let list = try await send(client, .get, "/api/v1/admin/billing/runs", token: manager)
            #expect((list.body["items"] as? [[String: Any]])?.contains { $0["id"] as? String == runID } == true)
            let invoices = try await send(client, .get, "/api/v1/admin/customers/\(a.customer.id)/invoices", token: manager)
            #expect((invoices.body["items"] as? [[String: Any]])?.count == 2)
            let customer = try await harness.token(client, role: .customer)
            #expect(try await send(client, .post, "/api/v1/admin/billing/runs", token: customer, body: ["period": "2026-11"]).status == .forbidden)
        }
    }
}
