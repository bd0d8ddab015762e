import Contracts
import Foundation
import Kernel
import ServiceKit
import Storage

extension NotificationsService {
    /// Routes Alertmanager's alerts (seed: monitoring, step 5): each new one (fingerprint, status, start) goes to every
    /// on-call person by e-mail and text message as their thresholds say, and to every staff chat; repeats are dropped.
    public func receiveAlerts(_ payload: AlertmanagerPayload) async throws -> AlertReceipt {
        guard (1...1000).contains(payload.alerts.count) else {
            throw NotificationsError.invalidField(field: "alerts", reason: "1 to 1000 alerts")
        }
        for alert in payload.alerts {
            guard alert.status == "firing" || alert.status == "resolved" else {
                throw NotificationsError.invalidField(field: "alerts.status", reason: "firing or resolved")
            }
            guard !alert.fingerprint.isEmpty, alert.fingerprint.count <= 64 else {
                throw NotificationsError.invalidField(field: "alerts.fingerprint", reason: "1 to 64 characters")
            }
        }
        let people = try await onCall()
        let chats = (channels[.chat] as? ChatChannel)?.names ?? []
        let now = clock.now()
        let (configured, zone) = (channels, settings.timeZone)
        let receipt = try await database.transaction { tx in
            var receipt = AlertReceipt(accepted: 0, duplicates: 0, deliveries: 0)
            for alert in payload.alerts {
                let fresh = try await tx.query(
                    """
                    INSERT INTO notification_alerts (fingerprint, status, starts_at, received_at) VALUES ($1, $2, $3, $4)
                    ON CONFLICT DO NOTHING RETURNING fingerprint
                    """, alert.fingerprint, alert.status, alert.startsAt, now)
                guard !fresh.isEmpty else {
                    receipt.duplicates += 1
                    continue
                }
                receipt.accepted += 1
                let severity = AlertRouting.severity(of: alert)
                let kind = alert.status == "resolved" ? AlertRouting.resolvedKind : AlertRouting.firingKind(severity)
                let (title, body) = AlertRouting.texts(of: alert, zone: zone)
                let notificationID = "alert:\(alert.fingerprint):\(alert.status):\(Int(alert.startsAt.timeIntervalSince1970))"
                var routes: [(NotificationChannel, String, String)] = chats.map { (.chat, $0, "chat") }
                for (index, person) in people.enumerated() {
                    let user = "on-call:\(index):\(person.name)"
                    if let email = person.email, severity >= person.emailFrom, configured[.email] != nil { routes.append((.email, email, user)) }
                    if let phone = person.phone, severity >= person.smsFrom, configured[.sms] != nil { routes.append((.sms, phone, user)) }
                }
                for (channel, address, user) in routes {
                    try await DeliveryStore.insert(
                        DeliveryRecord(
                            id: Identifier<Delivery>.generate().rawValue, notificationID: notificationID, userID: user, customerID: nil, kind: kind,
                            channel: channel, address: address, deviceID: nil, subject: title,
                            body: channel == .sms ? String((title + "\n" + body).prefix(600)) : body, html: nil,
                            link: (alert.generatorURL ?? payload.externalURL).map { String($0.prefix(500)) }, unsubscribeURL: nil,
                            critical: severity == .critical, locale: "ru", state: .queued, attempts: 0, dueAt: now,
                            detail: nil, providerID: nil, createdAt: now, sentAt: nil), in: tx)
                    receipt.deliveries += 1
                }
            }
            return receipt
        }
        if receipt.deliveries > 0 { wake.wake() }
        return receipt
    }

    /// The on-call list.
    public func onCall() async throws -> [OnCallEntry] {
        guard let row = try await database.first("SELECT value FROM notification_settings WHERE name = 'on_call'") else { return [] }
        return try StoreJSON.value([OnCallEntry].self, from: try row.string("value"))
    }

    /// Replaces the on-call list after checking it: at most 50 people, each with a name and a way to reach them.
    public func setOnCall(_ entries: [OnCallEntry]) async throws -> [OnCallEntry] {
        guard entries.count <= 50 else { throw NotificationsError.invalidField(field: "entries", reason: "at most 50 people") }
        var checked: [OnCallEntry] = []
        for (index, entry) in entries.enumerated() {
            var entry = entry
            entry.name = entry.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...100).contains(entry.name.count) else {
                throw NotificationsError.invalidField(field: "entries[\(index)].name", reason: "1 to 100 characters")
            }
            if let email = entry.email {
                guard email.count <= 254, email.split(separator: "@").count == 2, !email.contains(where: \.isWhitespace) else {
                    throw NotificationsError.invalidField(field: "entries[\(index)].email", reason: "an e-mail address")
                }
            }
            if let phone = entry.phone {
                let digits = phone.filter(\.isNumber)
                guard (10...15).contains(digits.count), phone.count <= 30 else {
                    throw NotificationsError.invalidField(field: "entries[\(index)].phone", reason: "a phone number in international form")
                }
            }
            guard entry.email != nil || entry.phone != nil else {
                throw NotificationsError.invalidField(field: "entries[\(index)]", reason: "an e-mail address or a phone number")
            }
            checked.append(entry)
        }
        try await database.query(
            """
            INSERT INTO notification_settings (name, value, updated_at) VALUES ('on_call', $1, $2)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """, StoreJSON.text(checked), clock.now())
        return checked
    }
}
