/// What a user wants to receive and when: `GET/PUT /api/v1/notifications/preferences`.
///
/// Critical notifications (security, suspension of the service) ignore both the channels chosen and the quiet hours;
/// the in-app inbox always keeps a copy.
public struct NotificationPreferences: Codable, Sendable, Hashable {
    /// For each category, the channels it may use besides the inbox.
    public var channels: [NotificationCategory: [NotificationChannel]]
    /// When nothing but critical notifications is sent; nil for never.
    public var quietHours: QuietHours?
    /// The user's IANA time zone (`Europe/Moscow`), for quiet hours and the times in messages.
    public var timeZone: String

    /// Creates preferences.
    public init(channels: [NotificationCategory: [NotificationChannel]], quietHours: QuietHours?, timeZone: String) {
        self.channels = channels
        self.quietHours = quietHours
        self.timeZone = timeZone
    }
}

/// A daily span of local time, `22:00`–`08:00`; it may cross midnight.
public struct QuietHours: Codable, Sendable, Hashable {
    /// When it starts, `HH:MM`.
    public var from: String
    /// When it ends, `HH:MM`.
    public var to: String

    /// Creates the span.
    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}
