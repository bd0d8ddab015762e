import Contracts
import Customers
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import NIOCore
import Platform
import TestSupport
import Testing

extension TestPlatform {
    /// A customer with a contract and no bill, signed in: their token.
    func registeredCustomer(_ client: any TestClientProtocol, name: String) async throws -> (customer: Customer, token: String) {
        let user = try await user(.customer)
        let customer = try await platform.localCustomers!.createCustomer(
            NewCustomer(
                userId: user.id, fullName: name, phone: nil, email: user.email,
                address: PostalAddress(city: "Казань", street: "ул. Баумана", building: "1")),
            by: nil)
        return (customer, try await login(client, user.email)["accessToken"] as! String)
    }
}

@Suite("Support through the gateway")
struct SupportFlowTests {
    /// Waits until `probe` holds (the assigner and the event relay work in the background).
    static func eventually(_ what: String, _ probe: () async throws -> Bool) async throws {
        for _ in 0..<200 {
            if try await probe() { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("\(what) never happened")
    }

    @Test(arguments: DatabaseKind.available, Topology.allCases)
    func aCustomerOpensATicketSeesWhoHasItAndTheAnswerButNeverTheNote(_ kind: DatabaseKind, _ topology: Topology) async throws {
        try await TestPlatform.with(kind, topology: topology, backgroundWork: true) { harness, client in
            let customer = try await harness.billedCustomer(client)
            let admin = try await harness.token(client, role: .admin)
            let agentUser = try await harness.user(.supportAgent)
            let agent = try await harness.login(client, agentUser.email)["accessToken"] as! String
            let profile: [String: Any] = ["name": "Анна", "skills": ["slow_speed", "no_connection", "billing"], "languages": ["ru"]]
            #expect(try await send(client, .put, "/api/v1/admin/support/agents/\(agentUser.id)", token: agent, body: profile).status == .forbidden)
            let set = try await send(client, .put, "/api/v1/admin/support/agents/\(agentUser.id)", token: admin, body: profile)
            #expect(set.status == .ok, "\(set.text)")
            let online = try await send(client, .put, "/api/v1/admin/support/agents/me/state", token: agent, body: ["state": "online"])
            #expect(online.body["state"] as? String == "online")

            let opened = try await send(
                client, .post, "/api/v1/support/tickets", token: customer.token,
                body: ["subject": "Медленный интернет", "text": "По вечерам 5 Мбит/с вместо 300", "category": "slow_speed"])
            #expect(opened.status == .created)
            let id = try #require((opened.body["summary"] as? [String: Any])?["id"] as? String)
            #expect((opened.body["reasons"] as? [Any])?.isEmpty == true)
            #expect(((opened.body["sla"] as? [String: Any])?["targets"] as? [Any])?.count == 2)

            try await Self.eventually("assignment") {
                let ticket = try await send(client, .get, "/api/v1/support/tickets/\(id)", token: customer.token)
                return ((ticket.body["summary"] as? [String: Any])?["assignee"] as? [String: Any])?["name"] as? String == "Анна"
            }
            let queue = try await send(client, .get, "/api/v1/admin/support/tickets?queue=mine", token: agent)
            #expect((queue.body["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            let staffView = try await send(client, .get, "/api/v1/admin/support/tickets/\(id)", token: agent)
            #expect((staffView.body["reasons"] as? [[String: Any]])?.first?["rule"] as? String == "everyday-trouble")

            let note = try await send(
                client, .post, "/api/v1/admin/support/tickets/\(id)/messages", token: agent,
                body: ["text": "Перегружен узел на Тверской", "isInternal": true])
            #expect(note.status == .created)
            let answer = try await send(
                client, .post, "/api/v1/admin/support/tickets/\(id)/messages", token: agent, body: ["text": "Расширили канал, проверьте"])
            #expect(answer.status == .created)

            let seen = try await send(client, .get, "/api/v1/support/tickets/\(id)", token: customer.token)
            #expect(!seen.text.contains("Перегружен"))
            let texts = (seen.body["messages"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
            #expect(texts == ["По вечерам 5 Мбит/с вместо 300", "Расширили канал, проверьте"])
            #expect((seen.body["summary"] as? [String: Any])?["status"] as? String == "open")
            let list = try await send(client, .get, "/api/v1/support/tickets", token: customer.token)
            #expect(!list.text.contains("Перегружен"))
            #expect((list.body["items"] as? [[String: Any]])?.count == 1)
            let reply = try await send(client, .post, "/api/v1/support/tickets/\(id)/messages", token: customer.token, body: ["text": "Спасибо!"])
            #expect(reply.status == .created)
            #expect(!reply.text.contains("Перегружен"))

            // Another customer, and the operators' routes, are out of a customer's reach.
            let other = try await harness.registeredCustomer(client, name: "Сидоров Сидор")
            #expect(try await send(client, .get, "/api/v1/support/tickets/\(id)", token: other.token).status == .notFound)
            #expect(
                try await send(client, .post, "/api/v1/support/tickets/\(id)/messages", token: other.token, body: ["text": "x"]).status == .notFound)
            #expect(try await send(client, .get, "/api/v1/admin/support/tickets/\(id)", token: customer.token).status == .forbidden)
            let tariff = try await send(client, .post, "/api/v1/admin/tariffs", token: agent, body: [:])
            #expect(tariff.status == .forbidden, "\(tariff.text)")

            // ticket.created reaches the CRM timeline.
            try await Self.eventually("the CRM timeline entry") {
                let timeline = try await send(client, .get, "/api/v1/admin/customers/\(customer.customer.id)/timeline", token: admin)
                return timeline.text.contains("Создано обращение № 1: Медленный интернет")
            }
        }
    }

    @Test(arguments: Topology.allCases)
    func attachmentsGoUpRawAndComeBackSafely(_ topology: Topology) async throws {
        try await TestPlatform.with(.sqlite, topology: topology) { harness, client in
            let customer = try await harness.billedCustomer(client)
            let opened = try await send(
                client, .post, "/api/v1/support/tickets", token: customer.token,
                body: ["subject": "Роутер", "text": "Фото индикаторов", "category": "equipment"])
            let id = try #require((opened.body["summary"] as? [String: Any])?["id"] as? String)
            let png: [UInt8] =
                [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52] + Array(repeating: 1, count: 100)
            var headers = bearer(customer.token)
            headers[.contentType] = "text/html"
            let uploaded = try await client.execute(
                uri: "/api/v1/support/tickets/\(id)/attachments?name=%D1%80%D0%BE%D1%83%D1%82%D0%B5%D1%80.png", method: .post, headers: headers,
                body: ByteBuffer(bytes: png)
            ) { response in (response.status, try object(response.body)) }
            #expect(uploaded.0 == .created)
            let attachment = try #require(
                ((uploaded.1["messages"] as? [[String: Any]])?.last?["attachments"] as? [[String: Any]])?.first)
            #expect(attachment["contentType"] as? String == "image/png")
            let attachmentID = try #require(attachment["id"] as? String)
            try await client.execute(uri: "/api/v1/support/tickets/\(id)/attachments/\(attachmentID)", method: .get, headers: bearer(customer.token))
            {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(response.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
                #expect(Array(response.body.readableBytesView) == png)
            }
            let html = try await client.execute(
                uri: "/api/v1/support/tickets/\(id)/attachments?name=photo.jpg", method: .post, headers: bearer(customer.token),
                body: ByteBuffer(string: "<html><script>alert(1)</script></html>")
            ) { response in (response.status, response.headers[.contentType]) }
            #expect(html.0 == .unsupportedMediaType)
            #expect(html.1 == "application/problem+json")
            let big = try await client.execute(
                uri: "/api/v1/support/tickets/\(id)/attachments", method: .post, headers: bearer(customer.token),
                body: ByteBuffer(repeating: 0x41, count: (10 << 20) + 1)
            ) { $0.status }
            #expect(big == .contentTooLarge)
        }
    }

    @Test(arguments: Topology.allCases)
    func badTicketsAreRefusedNamingTheField(_ topology: Topology) async throws {
        try await TestPlatform.with(.sqlite, topology: topology) { harness, client in
            let customer = try await harness.billedCustomer(client)
            let cases: [([String: Any], String)] = [
                (["subject": "", "text": "t", "category": "other"], "subject"),
                (["subject": "s", "text": "t", "category": "unknown"], "category"),
                (["subject": "s", "text": "t", "category": "other", "priority": "urgent"], "priority"),
                (["subject": "s", "text": String(repeating: "я", count: 10_001), "category": "other"], "text"),
                (["subject": "s", "category": "other"], "text"),
            ]
            for (body, field) in cases {
                let response = try await send(client, .post, "/api/v1/support/tickets", token: customer.token, body: body)
                #expect(response.status.code >= 400 && response.status.code < 500, "\(field): \(response.status)")
                #expect(response.text.contains(field), "\(field): \(response.text)")
            }
            let agent = try await harness.token(client, role: .supportAgent)
            let badQueue = try await send(client, .get, "/api/v1/admin/support/tickets?queue=everything", token: agent)
            #expect(badQueue.status == .badRequest || badQueue.status.code == 422)
            #expect(badQueue.text.contains("queue"))
        }
    }

    @Test(arguments: Topology.allCases)
    func theResolutionMessagesLinkRatesWithOneClickAndNoSignIn(_ topology: Topology) async throws {
        try await TestPlatform.with(.sqlite, topology: topology) { harness, client in
            let customer = try await harness.billedCustomer(client)
            let agent = try await harness.token(client, role: .supportAgent)
            let opened = try await send(
                client, .post, "/api/v1/support/tickets", token: customer.token,
                body: ["subject": "Вопрос по договору", "text": "Как сменить тариф?", "category": "other"])
            let id = try #require((opened.body["summary"] as? [String: Any])?["id"] as? String)
            #expect(
                try await send(client, .post, "/api/v1/admin/support/tickets/\(id)/status", token: agent, body: ["status": "resolved"]).status == .ok)
            let seen = try await send(client, .get, "/api/v1/support/tickets/\(id)", token: customer.token)
            let text = try #require((seen.body["messages"] as? [[String: Any]])?.last?["text"] as? String)
            let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("5 — ") })
            let url = try #require(URLComponents(string: String(line.dropFirst(4))))
            let page = try await client.execute(uri: url.path + "?" + (url.query ?? ""), method: .get) { response in
                (response.status, response.headers[.contentType], String(buffer: response.body))
            }
            #expect(page.0 == .ok)
            #expect(page.1 == "text/html; charset=utf-8")
            #expect(page.2.contains("Спасибо за оценку"))
            let forged = try await client.execute(uri: url.path + "?score=1&token=forged", method: .get) { $0.status }
            #expect(forged == .forbidden)
            let rated = try await send(client, .get, "/api/v1/support/tickets/\(id)", token: customer.token)
            #expect((rated.body["rating"] as? [String: Any])?["score"] as? Int == 5)
            let comment = try await client.execute(
                uri: url.path, method: .post, headers: [.contentType: "application/json"],
                body: json(["score": 4, "token": url.queryItems?.first { $0.name == "token" }?.value ?? "", "comment": "Помогли"])
            ) { response in (response.status, try object(response.body)) }
            #expect(comment.0 == .ok)
            #expect(comment.1["comment"] as? String == "Помогли")
        }
    }
}
