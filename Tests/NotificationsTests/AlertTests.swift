import AsyncHTTPClient
import ChannelStandins
import Contracts
import Foundation
import Kernel
import Notifications
import SMS
import StaffChat
import TestSupport
import Testing

@Suite("Alertmanager's alerts reach the on-call staff and the staff chat, once")
struct AlertTests {
    private func alert(_ status: String, severity: String, fingerprint: String = "a1b2c3", at start: Date) -> AlertmanagerAlert {
        AlertmanagerAlert(
            status: status, labels: ["alertname": "GatewayErrors", "severity": severity, "instance": "gateway-1"],
            annotations: ["summary": "5xx выше 5%", "description": "Шлюз отвечает ошибками"], startsAt: start,
            endsAt: status == "resolved" ? start.addingTimeInterval(600) : nil, generatorURL: "http://prometheus:9090/graph?g0.expr=x",
            fingerprint: fingerprint)
    }

    @Test(arguments: DatabaseKind.available)
    func aCriticalAlertTextsAndPostsARepeatIsDroppedAndTheAllClearFollows(kind: DatabaseKind) async throws {
        let webhook = IncomingWebhookStandin(secretPath: "T000/B000/secret")
        let server = try await ChannelStandinServer.start([webhook])
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: StaffChatHTTP.clientConfiguration())
        do {
            let chat = ChatChannel(chats: ["webhook": IncomingWebhookChannel(url: server.baseURL + webhook.path, client: http)])
            try await NotificationsHarness.with(kind, sms: true, chat: chat) { h in
                let people = try await h.service.setOnCall([
                    OnCallEntry(name: "Дежурный", email: "noc@isp.test", phone: "+79160000001"),
                    OnCallEntry(name: "Начальник смены", email: nil, phone: "+79160000002", smsFrom: .critical),
                ])
                #expect(people.count == 2)
                let firing = AlertmanagerPayload(status: "firing", alerts: [alert("firing", severity: "critical", at: h.clock.now())])
                let receipt = try await h.service.receiveAlerts(firing)
                #expect(receipt == AlertReceipt(accepted: 1, duplicates: 0, deliveries: 3), "the chat and two texts (no e-mail channel here)")
                try await h.settle()
                #expect(webhook.posts.count == 1)
                #expect(webhook.posts.first?.attachments.first?.title?.contains("Тревога [critical] GatewayErrors: 5xx выше 5%") == true)
                #expect(Set(h.texts.records.map(\.number.e164)) == ["+79160000001", "+79160000002"])
                #expect(h.texts.records.first?.text.hasPrefix("Тревога [critical] GatewayErrors") == true)

                let again = try await h.service.receiveAlerts(firing)
                #expect(again == AlertReceipt(accepted: 0, duplicates: 1, deliveries: 0), "Alertmanager repeats a group: dropped")

                let warning = AlertmanagerPayload(
                    status: "firing", alerts: [alert("firing", severity: "warning", fingerprint: "d4e5", at: h.clock.now())])
                #expect(try await h.service.receiveAlerts(warning).deliveries == 1, "a warning texts nobody: only the chat")

                h.clock.advance(by: 600)
                let resolved = AlertmanagerPayload(status: "resolved", alerts: [alert("resolved", severity: "critical", at: h.clock.now() - 600)])
                #expect(try await h.service.receiveAlerts(resolved).accepted == 1)
                try await h.settle()
                #expect(webhook.posts.count == 2, "a chat takes one post a second: the other waits")
                h.clock.advance(by: 1)
                try await h.settle()
                #expect(webhook.posts.count == 3)
                #expect(webhook.posts.contains { $0.attachments.first?.title?.hasPrefix("Отбой — GatewayErrors: 5xx выше 5%") == true })
            }
        } catch {
            try? await http.shutdown()
            await server.stop()
            throw error
        }
        try await http.shutdown()
        await server.stop()
    }

    @Test(arguments: DatabaseKind.available)
    func badAlertsAndBadOnCallEntriesAreRefusedNamingTheField(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let refusedStatus = await refusedField {
                _ = try await h.service.receiveAlerts(
                    AlertmanagerPayload(status: "firing", alerts: [alert("pending", severity: "critical", at: h.clock.now())]))
            }
            #expect(refusedStatus == "alerts.status")
            let refusedEmpty = await refusedField { _ = try await h.service.receiveAlerts(AlertmanagerPayload(status: "firing", alerts: [])) }
            #expect(refusedEmpty == "alerts")
            let badEmail = await refusedField { _ = try await h.service.setOnCall([OnCallEntry(name: "Н", email: "not an address", phone: nil)]) }
            #expect(badEmail == "entries[0].email")
            let unreachable = await refusedField { _ = try await h.service.setOnCall([OnCallEntry(name: "Н", email: nil, phone: nil)]) }
            #expect(unreachable == "entries[0]")
            let kept = try await h.service.onCall()
            #expect(kept.isEmpty)
        }
    }
}
