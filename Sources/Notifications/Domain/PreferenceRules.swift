import Contracts
import Foundation

/// The defaults of preferences and the checks of a user's own.
enum PreferenceRules {
    /// The channels each category uses until the person chooses: texts only where they matter (payments without a
    /// phone app, the service itself), never for invoices unless asked.
    static let defaultChannels: [NotificationCategory: [NotificationChannel]] = [
        .billing: [.email, .push, .webPush],
        .payments: [.push, .webPush, .sms],
        .service: [.sms, .push, .webPush, .email],
        .support: [.email, .push, .webPush],
        .security: [.email, .push, .webPush],
        .news: [.email],
    ]

    /// The defaults in the operator's time zone.
    static func defaults(timeZone: TimeZone) -> NotificationPreferences {
        NotificationPreferences(channels: defaultChannels, quietHours: QuietHours(from: "22:00", to: "08:00"), timeZone: timeZone.identifier)
    }

    /// `preferences` checked: a known time zone, quiet hours as `HH:MM` that differ, no inbox in the channels (it always
    /// keeps a copy), each channel once; a category left out keeps its default.
    static func checked(_ preferences: NotificationPreferences) throws -> NotificationPreferences {
        guard preferences.timeZone.count <= 64, TimeZone(identifier: preferences.timeZone) != nil else {
            throw NotificationsError.invalidField(field: "timeZone", reason: "an IANA time zone, such as Europe/Moscow")
        }
        if let quiet = preferences.quietHours {
            guard let from = QuietHoursWindow.minutes(quiet.from) else {
                throw NotificationsError.invalidField(field: "quietHours.from", reason: "a time as HH:MM")
            }
            guard let to = QuietHoursWindow.minutes(quiet.to) else {
                throw NotificationsError.invalidField(field: "quietHours.to", reason: "a time as HH:MM")
            }
            guard from != to else { throw NotificationsError.invalidField(field: "quietHours.to", reason: "must differ from quietHours.from") }
        }
        var channels = defaultChannels
        for (category, chosen) in preferences.channels {
            if chosen.contains(.inApp) {
                throw NotificationsError.invalidField(
                    field: "channels.\(category.rawValue)", reason: "in_app is not a choice: the inbox always keeps a copy")
            }
            if chosen.contains(.chat) {
                throw NotificationsError.invalidField(field: "channels.\(category.rawValue)", reason: "chat is for the staff's alerts")
            }
            var seen = Set<NotificationChannel>()
            channels[category] = chosen.filter { seen.insert($0).inserted }
        }
        return NotificationPreferences(channels: channels, quietHours: preferences.quietHours, timeZone: preferences.timeZone)
    }
}
