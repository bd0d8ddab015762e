/// A way a notification reaches a person.
public enum NotificationChannel: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    /// The inbox of the personal account and the mobile app.
    case inApp = "in_app"
    /// E-mail.
    case email
    /// A text message.
    case sms
    /// The mobile app, through FCM or APNs.
    case push
    /// The installed web app, through the browser's push service.
    case webPush = "web_push"
    /// The staff's chat (a Slack or Mattermost webhook, a Telegram group): alerts only.
    case chat
}

/// What a notification is about; preferences are kept per category.
public enum NotificationCategory: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    /// Invoices, their due days, autopay.
    case billing
    /// Payments received, failed or refunded.
    case payments
    /// The connection itself: suspension, resumption, promised payments, outages.
    case service
    /// Support tickets.
    case support
    /// Sign-ins, password resets, revoked sessions: always sent.
    case security
    /// Announcements an operator sends.
    case news
}

/// What a device receives pushes through.
public enum DevicePlatform: String, Codable, Sendable, CaseIterable {
    /// Firebase Cloud Messaging (Android, and iOS apps using Firebase).
    case fcm
    /// Apple Push Notification service.
    case apns
    /// A browser's push service (the installed web app).
    case webpush
}

/// Where one delivery stands.
public enum DeliveryState: String, Codable, Sendable, CaseIterable {
    /// Waiting to be sent (perhaps until quiet hours end, or a retry is due).
    case queued
    /// Handed to its channel; the answer is not recorded yet.
    case sending
    /// Accepted by the provider or the mail server.
    case sent
    /// The provider reported it delivered.
    case delivered
    /// Given up: a refusal, or too many attempts.
    case failed
    /// The address does not exist (a dead device token, a bounced address).
    case bounced
    /// Not sent because of the recipient's preferences or a cap.
    case suppressed
    /// Handed to the channel before a crash, with no answer recorded: not sent again, so as never to send it twice.
    case unconfirmed
}
