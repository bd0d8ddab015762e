import Foundation

/// Customers of a demo-data `lastmile serve` made ready to drive over HTTP: logged in, and the payers given money.
struct BenchCustomers {
    /// A customer's access token and an issued invoice of theirs.
    struct Customer {
        let id: String
        let token: String
        let invoiceID: String
    }

    /// Those who top up through the provider.
    let topUps: [Customer]
    /// Those who pay invoices from their balance (other customers than `topUps`).
    let payers: [Customer]

    /// Takes `topUps + payers` of the generated customers that have an issued invoice, gives them the demo customer's
    /// password (they were imported without one) and logs each in; an operator records a cash payment of 100,000 RUB
    /// for each payer, so that 1-kopeck balance payments never run out.
    static func prepare(
        _ bench: BenchRun, _ postgres: PostgresServer, site: String,
        demo: (admin: (email: String, password: String), customer: (email: String, password: String)), topUps: Int, payers: Int
    ) async throws -> BenchCustomers {
        bench.step("customers: \(topUps) for top-ups and \(payers) for balance payments, logged in")
        let demoEmail = demo.customer.email.lowercased()
        try postgres.psql(
            "providers",
            """
            UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email_normalized = '\(demoEmail)')
            WHERE role = 'customer' AND email_normalized <> '\(demoEmail)'
            """)
        let rows = try postgres.psql(
            "providers",
            """
            SELECT DISTINCT ON (c.id) c.id, u.email, i.id FROM customers c JOIN users u ON u.id = c.user_id
            JOIN invoices i ON i.customer_id = c.id AND i.status = 'issued'
            WHERE u.email_normalized <> '\(demoEmail)' ORDER BY c.id, i.id LIMIT \(topUps + payers)
            """
        ).split(separator: "\n").map { $0.split(separator: "|").map(String.init) }.filter { $0.count == 3 }
        guard rows.count == topUps + payers else {
            throw BenchFailure("only \(rows.count) generated customers with an issued invoice; \(topUps + payers) needed")
        }
        var customers: [Customer] = []
        for row in rows {
            let token = try await login(bench, site: site, email: row[1], password: demo.customer.password)
            customers.append(Customer(id: row[0], token: token, invoiceID: row[2]))
        }
        let admin = try await login(bench, site: site, email: demo.admin.email, password: demo.admin.password)
        let result = BenchCustomers(topUps: Array(customers.prefix(topUps)), payers: Array(customers.suffix(payers)))
        for payer in result.payers {
            let (status, body) = try await bench.http(
                "\(site)/api/v1/admin/payments", method: "POST",
                headers: ["Authorization": "Bearer \(admin)", "Idempotency-Key": UUID().uuidString],
                json: ["customerId": payer.id, "amount": ["amount": 10_000_000, "currency": "RUB"], "method": "cash"])
            guard status == 201 else {
                throw BenchFailure("cash payment for \(payer.id): \(status) \(String(decoding: body, as: UTF8.self).prefix(300))")
            }
        }
        try await result.check(bench, site: site)
        bench.info("\(customers.count) customers logged in; the payers have money")
        return result
    }

    /// One top-up and one balance payment by hand: both must answer 201 before any load is measured.
    private func check(_ bench: BenchRun, site: String) async throws {
        let (topUp, topUpBody) = try await bench.http(
            "\(site)/api/v1/billing/top-up", method: "POST",
            headers: ["Authorization": "Bearer \(topUps[0].token)", "Idempotency-Key": UUID().uuidString],
            json: ["amount": ["amount": 10_000, "currency": "RUB"], "provider": "yookassa"])
        let answer = String(decoding: topUpBody, as: UTF8.self)
        guard topUp == 201, answer.contains("confirmation") else { throw BenchFailure("a top-up through yookassa: \(topUp) \(answer.prefix(500))") }
        let (pay, payBody) = try await bench.http(
            "\(site)/api/v1/billing/pay", method: "POST",
            headers: ["Authorization": "Bearer \(payers[0].token)", "Idempotency-Key": UUID().uuidString],
            json: ["invoiceId": payers[0].invoiceID, "amount": ["amount": 1, "currency": "RUB"], "method": "balance"])
        guard pay == 201 else { throw BenchFailure("a balance payment: \(pay) \(String(decoding: payBody, as: UTF8.self).prefix(500))") }
    }
}
