import Contracts
import Foundation
import HTTPTypes
import HummingbirdTesting
import Kernel
import NIOCore
import Platform
import TestSupport
import Testing

@Suite("Notifications through the gateway")
struct NotificationFlowTests {
    private static let fcmToken = "dGVzdC1mY20tdG9rZW4:" + String(repeating: "APA91b", count: 20)

    @Test(arguments: DatabaseKind.available, Topology.allCases)
    func devicesAndPreferencesAreEachPersonsOwnAndCheckedField(_ kind: DatabaseKind, _ topology: Topology) async throws {
        try await TestPlatform.with(kind, topology: topology) { harness, client in
            let ivan = try await harness.registeredCustomer(client, name: "Иванов Иван")
            let olga = try await harness.registeredCustomer(client, name: "Петрова Ольга")
            let registered = try await send(
                client, .post, "/api/v1/notifications/devices", token: ivan.token, body: ["platform": "fcm", "token": Self.fcmToken, "name": "Pixel"])
            #expect(registered.status == .created, "\(registered.text)")
            let id = try #require(registered.body["id"] as? String)
            #expect(!registered.text.contains(Self.fcmToken), "the token is never shown back")
            let listed = try await send(client, .get, "/api/v1/notifications/devices", token: ivan.token)
            #expect((listed.body["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            #expect((try await send(client, .get, "/api/v1/notifications/devices", token: olga.token).body["items"] as? [Any])?.isEmpty == true)
            #expect(try await send(client, .delete, "/api/v1/notifications/devices/\(id)", token: olga.token).status == .notFound)

            let bad = try await send(client, .post, "/api/v1/notifications/devices", token: ivan.token, body: ["platform": "apns", "token": "xyz"])
            #expect(bad.status == .badRequest)
            #expect(bad.body["field"] as? String == "token" || bad.text.contains("\"token\""), "\(bad.text)")
            let unknown = try await send(
                client, .post, "/api/v1/notifications/devices", token: ivan.token, body: ["platform": "fcm", "token": Self.fcmToken, "owner": "x"])
            #expect(unknown.status == .badRequest)

            let defaults = try await send(client, .get, "/api/v1/notifications/preferences", token: ivan.token)
            #expect(defaults.status == .ok)
            #expect((defaults.body["channels"] as? [String: Any])?["billing"] as? [String] == ["email", "push", "web_push"])
            let changed = try await send(
                client, .put, "/api/v1/notifications/preferences", token: ivan.token,
                body: ["channels": ["billing": ["sms"]], "quietHours": ["from": "23:00", "to": "07:30"], "timeZone": "Asia/Novosibirsk"])
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(
                (try await send(client, .get, "/api/v1/notifications/preferences", token: ivan.token).body["timeZone"] as? String)
                    == "Asia/Novosibirsk")
            #expect(
                (try await send(client, .get, "/api/v1/notifications/preferences", token: olga.token).body["timeZone"] as? String) == "Europe/Moscow")
            let wrongZone = try await send(
                client, .put, "/api/v1/notifications/preferences", token: ivan.token, body: ["channels": [String: Any](), "timeZone": "Moon/Base"])
            #expect(wrongZone.status == .badRequest && wrongZone.text.contains("timeZone"))
            #expect(try await send(client, .delete, "/api/v1/notifications/devices/\(id)", token: ivan.token).status == .noContent)

            let link = "/api/v1/notifications/unsubscribe?u=\(ivan.customer.userId)&c=billing&t=bm90LXRoZS10b2tlbg"
            let page = try await client.execute(uri: link, method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(String(buffer: page.body).contains("<form method=\"post\""))
            let forged = try await client.execute(uri: link, method: .post, body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(forged.status == .badRequest)
            let unknownCategory = try await client.execute(uri: "/api/v1/notifications/unsubscribe?u=x&c=spam&t=x", method: .get)
            #expect(unknownCategory.status == .badRequest)
            #expect(
                (try await send(client, .get, "/api/v1/notifications/preferences", token: ivan.token).body["timeZone"] as? String)
                    == "Asia/Novosibirsk")
        }
    }

    @Test(arguments: DatabaseKind.available, Topology.allCases)
    func anOperatorsAnswerReachesTheCustomersInboxAndOperatorsSeeTheLog(_ kind: DatabaseKind, _ topology: Topology) async throws {
        try await TestPlatform.with(kind, topology: topology, backgroundWork: true) { harness, client in
            let customer = try await harness.registeredCustomer(client, name: "Сидоров Пётр")
            let agent = try await harness.token(client, role: .supportAgent)
            let opened = try await send(
                client, .post, "/api/v1/support/tickets", token: customer.token,
                body: ["subject": "Нет интернета", "text": "С утра не работает", "category": "no_connection"])
            let ticket = try #require((opened.body["summary"] as? [String: Any])?["id"] as? String)
            let number = try #require((opened.body["summary"] as? [String: Any])?["number"] as? Int)
            let answered = try await send(
                client, .post, "/api/v1/admin/support/tickets/\(ticket)/messages", token: agent, body: ["text": "Перезагрузите роутер"])
            #expect(answered.status == .created)
            var titles: [String] = []
            try await SupportFlowTests.eventually("the reply in the inbox") {
                let inbox = try await send(client, .get, "/api/v1/notifications", token: customer.token)
                titles = (inbox.body["items"] as? [[String: Any]])?.compactMap { $0["title"] as? String } ?? []
                return titles.contains("Ответ по обращению № \(number)")
            }
            #expect(titles.contains("Обращение № \(number) принято"))
            let unread = try await send(client, .get, "/api/v1/notifications?unread=true", token: customer.token)
            #expect(unread.body["unread"] as? Int == titles.count)
            let read = try await send(client, .post, "/api/v1/notifications/read", token: customer.token, body: ["all": true])
            #expect(read.status == .ok && read.body["unread"] as? Int == 0, "\(read.text)")
            #expect(try await send(client, .post, "/api/v1/notifications/read", token: customer.token, body: [String: Any]()).status == .badRequest)
            #expect(try await send(client, .get, "/api/v1/notifications?unread=maybe", token: customer.token).status == .badRequest)

            let log = try await send(client, .get, "/api/v1/admin/customers/\(customer.customer.id)/deliveries", token: agent)
            #expect(log.status == .ok, "\(log.text)")
            #expect(
                try await send(client, .get, "/api/v1/admin/customers/\(customer.customer.id)/deliveries", token: customer.token).status == .forbidden
            )
            #expect(try await send(client, .get, "/api/v1/admin/customers/no-such/deliveries", token: agent).status == .notFound)

            let admin = try await harness.token(client, role: .admin)
            let texts: [String: Any] = ["title": "Ответ по № {{number}}", "body": "Поддержка ответила: загляните в обращение № {{number}}."]
            #expect(
                try await send(client, .put, "/api/v1/admin/notifications/templates/ticket.reply/ru", token: agent, body: texts).status == .forbidden)
            let saved = try await send(client, .put, "/api/v1/admin/notifications/templates/ticket.reply/ru", token: admin, body: texts)
            #expect(saved.status == .ok, "\(saved.text)")
            #expect(saved.body["version"] as? Int == 1)
            let broken = try await send(
                client, .put, "/api/v1/admin/notifications/templates/ticket.reply/ru", token: admin, body: ["title": "{{#x}}", "body": "y"])
            #expect(broken.status == .badRequest && broken.text.contains("title"))
            let preview = try await send(
                client, .post, "/api/v1/admin/notifications/templates/ticket.reply/ru/preview", token: admin, body: [String: Any]())
            #expect(preview.body["title"] as? String == "Ответ по № 1234")
            let listed = try await send(client, .get, "/api/v1/admin/notifications/templates", token: admin)
            #expect((listed.body["items"] as? [Any])?.count == 40)
        }
    }

    @Test(arguments: DatabaseKind.available, Topology.allCases)
    func alertmanagersWebhookNeedsItsTokenAndAdminsKeepTheOnCallList(_ kind: DatabaseKind, _ topology: Topology) async throws {
        try await TestPlatform.with(kind, topology: topology, configure: { $0.alertmanagerToken = "am-secret-token" }) { harness, client in
            let body = #"""
                {"version":"4","status":"firing","receiver":"lastmile","groupKey":"{}:{alertname=\"Down\"}","alerts":[{"status":"firing",
                "labels":{"alertname":"Down","severity":"critical"},"annotations":{"summary":"узел не отвечает"},
                "startsAt":"2026-12-07T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"f00d"}]}
                """#
            func post(_ authorization: String?) async throws -> (status: HTTPResponse.Status, text: String) {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let authorization { headers[.authorization] = authorization }
                return try await client.execute(uri: "/api/v1/alerts/alertmanager", method: .post, headers: headers, body: ByteBuffer(string: body)) {
                    ($0.status, String(buffer: $0.body))
                }
            }
            #expect(try await post(nil).status == .unauthorized)
            #expect(try await post("Bearer wrong-token").status == .unauthorized)
            let accepted = try await post("Bearer am-secret-token")
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(accepted.text.contains("\"accepted\":1"))
            #expect(try await post("Bearer am-secret-token").text.contains("\"duplicates\":1"))

            let admin = try await harness.token(client, role: .admin)
            let agent = try await harness.token(client, role: .supportAgent)
            let list: [String: Any] = ["entries": [["name": "Дежурный", "email": "noc@isp.test", "emailFrom": "warning", "smsFrom": "critical"]]]
            #expect(try await send(client, .put, "/api/v1/admin/notifications/on-call", token: agent, body: list).status == .forbidden)
            let saved = try await send(client, .put, "/api/v1/admin/notifications/on-call", token: admin, body: list)
            #expect(saved.status == .ok, "\(saved.text)")
            let bad: [String: Any] = ["entries": [["name": "X", "email": "nope", "emailFrom": "warning", "smsFrom": "critical"]]]
            let refused = try await send(client, .put, "/api/v1/admin/notifications/on-call", token: admin, body: bad)
            #expect(refused.status == .badRequest && refused.text.contains("entries[0].email"))
            #expect((try await send(client, .get, "/api/v1/admin/notifications/on-call", token: admin).body["entries"] as? [Any])?.count == 1)
        }
        try await TestPlatform.with(kind) { _, client in
            let off = try await client.execute(
                uri: "/api/v1/alerts/alertmanager", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}")
            ) { $0.status }
            #expect(off == .notFound, "no token configured: no route")
        }
    }
}
