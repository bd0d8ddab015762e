import Contracts
import Foundation

/// Which channels and addresses one notification goes to, from its rule, the person's preferences, their addresses
/// and devices: decided without I/O.
struct DeliveryPlan: Sendable, Equatable {
    /// One way out.
    struct Route: Sendable, Equatable {
        var channel: NotificationChannel
        /// The e-mail address, the phone number, or the device's token.
        var address: String
        /// For pushes, the device.
        var deviceID: String?
        /// When it may go (quiet hours).
        var dueAt: Date
        /// Set when the person's own choice stopped it: recorded as suppressed, never sent.
        var suppressed: String?
    }

    var routes: [Route]
    /// Whether the inbox keeps a copy.
    var inbox: Bool

    /// The plan for `rule` to `recipient`.
    static func make(
        rule: NotificationRule, preferences: NotificationPreferences, recipient: Recipient, email: String?, devices: [DeviceRecord], now: Date
    ) -> DeliveryPlan {
        let zone = TimeZone(identifier: preferences.timeZone) ?? TimeZone(identifier: "Europe/Moscow")!
        let quiet = rule.critical ? nil : QuietHoursWindow(preferences.quietHours, zone: zone)
        let chosen = Set(preferences.channels[rule.category] ?? [])
        let byDefault = Set(PreferenceRules.defaultChannels[rule.category] ?? [])
        let pushDevices = devices.filter { $0.platform != .webpush }
        let webDevices = devices.filter { $0.platform == .webpush }
        var routes: [Route] = []
        for channel in rule.channels {
            var suppressed: String?
            if !rule.critical, !chosen.contains(channel) {
                // Only a choice the person made is worth a line in the log; a channel off by default is simply not used.
                guard byDefault.contains(channel) else { continue }
                suppressed = "turned off in the preferences"
            }
            // Quiet hours hold back what makes a phone sound; an e-mail waits in its mailbox anyway.
            let due = channel == .email ? now : quiet?.release(at: now) ?? now
            switch channel {
            case .email:
                guard let address = email ?? recipient.email, !address.isEmpty else { continue }
                routes.append(Route(channel: .email, address: address, deviceID: nil, dueAt: due, suppressed: suppressed))
            case .sms:
                guard let phone = recipient.phone, !phone.isEmpty else { continue }
                if rule.smsOnlyWithoutPush, !(pushDevices.isEmpty && webDevices.isEmpty) { continue }
                routes.append(Route(channel: .sms, address: phone, deviceID: nil, dueAt: due, suppressed: suppressed))
            case .push:
                for device in pushDevices {
                    routes.append(Route(channel: .push, address: device.token, deviceID: device.id, dueAt: due, suppressed: suppressed))
                }
            case .webPush:
                for device in webDevices {
                    routes.append(Route(channel: .webPush, address: device.token, deviceID: device.id, dueAt: due, suppressed: suppressed))
                }
            case .inApp, .chat:
                continue
            }
        }
        return DeliveryPlan(routes: routes, inbox: rule.inbox)
    }
}
