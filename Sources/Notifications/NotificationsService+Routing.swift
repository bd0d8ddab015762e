import Contracts
import Foundation
import Kernel
import Logging
import Storage

extension NotificationsService {
    /// Routes up to `limit` notifications not routed yet: finds each person, weighs their preferences, quiet hours and
    /// devices, renders the texts, and writes the inbox item and the deliveries. Returns how many it routed; stops early
    /// (leaving the rest for the next pass) when the directory does not answer.
    public func routePending(limit: Int = 200) async throws -> Int {
        let pending = try await NotificationStore.unrouted(limit: limit, in: database)
        let width = max(1, settings.concurrentRoutes)
        // Routed a few at a time: each waits on the directory and the database, not on the processor.
        return await withTaskGroup(of: Bool.self) { group in
            var next = pending.makeIterator()
            var (routed, failed) = (0, false)
            func start() {
                guard !failed, let notification = next.next() else { return }
                group.addTask {
                    do {
                        try await self.route(notification)
                        return true
                    } catch {
                        self.logger.warning("notification routing paused", metadata: ["notification": "\(notification.id)", "error": "\(error)"])
                        return false
                    }
                }
            }
            for _ in 0..<width { start() }
            while let succeeded = await group.next() {
                if succeeded { routed += 1 } else { failed = true }
                start()
            }
            return routed
        }
    }

    private func route(_ n: NotificationRecord) async throws {
        let now = clock.now()
        guard let rule = NotificationRule.all[n.kind], let recipient = try await directory.recipient(n.recipient) else {
            logger.info("notification for nobody", metadata: ["notification": "\(n.id)", "kind": "\(n.kind)"])
            _ = try await NotificationStore.markRouted(id: n.id, at: now, in: database)
            return
        }
        let preferences = try await preferences(ofUser: recipient.userID)
        let devices = try await DeviceStore.ofUser(recipient.userID, in: database)
        let zone = TimeZone(identifier: preferences.timeZone) ?? settings.timeZone
        let plan = DeliveryPlan.make(rule: rule, preferences: preferences, recipient: recipient, email: n.email, devices: devices, now: now)
        let locale = recipient.locale == "en" ? "en" : "ru"
        let wantsEmail = plan.routes.contains { $0.channel == .email } && channels[.email] != nil
        let unsubscribe = wantsEmail && !n.critical ? try await unsubscribeURL(userID: recipient.userID, category: n.category) : nil
        let rendered: Result<RenderedNotification, TemplateFailure>
        if let template = try await template(kind: n.kind, locale: locale) {
            rendered = Result { () throws(TemplateFailure) in
                try renderer.render(kind: n.kind, template: template, data: n.data, recipient: recipient, zone: zone, unsubscribeURL: unsubscribe)
            }
        } else {
            rendered = .failure(TemplateFailure(template: "\(n.kind)/\(locale)", part: "title", reason: "no such template"))
        }
        if case .failure(let failure) = rendered {
            logger.error("notification template failed", metadata: ["notification": "\(n.id)", "error": "\(failure)"])
        }
        let configured = channels
        try await database.transaction { tx in
            guard try await NotificationStore.markRouted(id: n.id, at: now, in: tx) else { return }
            if plan.inbox, case .success(let text) = rendered {
                try await InboxStore.insert(
                    InboxItem(
                        id: n.id, category: n.category, kind: n.kind, title: text.title, body: text.body, link: text.link, createdAt: n.createdAt,
                        readAt: nil), notificationID: n.id, userID: recipient.userID, in: tx)
            }
            for route in plan.routes where configured[route.channel] != nil {
                var delivery = DeliveryRecord(
                    id: Identifier<Delivery>.generate().rawValue, notificationID: n.id, userID: recipient.userID, customerID: recipient.customerID,
                    kind: n.kind, channel: route.channel, address: route.address, deviceID: route.deviceID, subject: nil, body: "", html: nil,
                    link: nil, unsubscribeURL: nil, critical: n.critical, locale: locale, state: .queued, attempts: 0, dueAt: route.dueAt,
                    detail: nil, providerID: nil,
                    createdAt: now, sentAt: nil)
                switch rendered {
                case .success(let text):
                    delivery.subject = route.channel == .sms ? nil : text.title
                    delivery.body = route.channel == .email ? text.emailText : text.body
                    delivery.html = route.channel == .email ? text.emailHTML : nil
                    delivery.link = text.link
                    delivery.unsubscribeURL = route.channel == .email ? unsubscribe : nil
                case .failure(let failure):
                    delivery.state = .failed
                    delivery.detail = failure.description
                    delivery.dueAt = nil
                }
                if let reason = route.suppressed, delivery.state == .queued {
                    delivery.state = .suppressed
                    delivery.detail = reason
                    delivery.dueAt = nil
                }
                try await DeliveryStore.insert(delivery, in: tx)
            }
        }
    }
}
