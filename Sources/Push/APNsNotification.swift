import Foundation

/// What an app's notification says and how APNs should deliver it: the `aps` dictionary, custom keys, and the
/// request headers that go with it (`apns-push-type`, `apns-priority`, `apns-expiration`, `apns-collapse-id`,
/// `apns-id`, `apns-topic`).
public struct APNsNotification: Sendable, Hashable {
    /// The visible part of an alert.
    public struct Alert: Sendable, Hashable {
        /// The title.
        public var title: String?
        /// A line under the title.
        public var subtitle: String?
        /// The text.
        public var body: String?

        /// Creates an alert.
        public init(title: String? = nil, subtitle: String? = nil, body: String? = nil) {
            self.title = title
            self.subtitle = subtitle
            self.body = body
        }
    }

    /// `apns-push-type`.
    public enum PushType: String, Sendable, Hashable {
        /// Shows an alert, plays a sound or badges the icon.
        case alert
        /// Wakes the app in the background, with `content-available` and nothing shown.
        case background
        /// Updates a Live Activity.
        case liveactivity
        /// Updates a complication.
        case complication
        /// Updates a file provider.
        case fileprovider
        /// Tells a device management agent to check in.
        case mdm
        /// A push-to-talk notification.
        case pushtotalk
        /// A VoIP call.
        case voip
        /// Updates a location query.
        case location
    }

    /// `apns-priority`.
    public enum Priority: Int, Sendable, Hashable {
        /// At once (10); alerts only.
        case immediate = 10
        /// When the device's power allows (5); required for background pushes.
        case conserve = 5
        /// Bundled with other low-priority pushes (1).
        case low = 1
    }

    /// The alert shown, if any.
    public var alert: Alert?
    /// The number on the app's icon; 0 removes it.
    public var badge: Int?
    /// The sound's file name in the app bundle, or `default`.
    public var sound: String?
    /// The group the notification is shown in (`thread-id`).
    public var threadID: String?
    /// `content-available: 1`, for background pushes.
    public var contentAvailable: Bool
    /// `mutable-content: 1`, letting a notification service extension change it.
    public var mutableContent: Bool
    /// Keys beside `aps`, for the app.
    public var custom: [String: PushJSON]
    /// `apns-push-type`.
    public var pushType: PushType
    /// `apns-priority`; `nil` leaves it to APNs (10).
    public var priority: Priority?
    /// When APNs may stop trying to deliver (`apns-expiration`); `nil` sends 0, once only.
    public var expiration: Date?
    /// Notifications with the same id replace each other on the device (`apns-collapse-id`, at most 64 bytes).
    public var collapseID: String?
    /// The request's id (`apns-id`); APNs makes one when `nil`.
    public var id: UUID?
    /// The topic (`apns-topic`) when not the client's default, the app's bundle id with a suffix for some push types.
    public var topic: String?

    /// Creates a notification; a background one needs `contentAvailable` and priority 5.
    public init(
        alert: Alert? = nil, badge: Int? = nil, sound: String? = nil, threadID: String? = nil, contentAvailable: Bool = false,
        mutableContent: Bool = false, custom: [String: PushJSON] = [:], pushType: PushType = .alert, priority: Priority? = nil,
        expiration: Date? = nil, collapseID: String? = nil, id: UUID? = nil, topic: String? = nil
    ) {
        self.alert = alert
        self.badge = badge
        self.sound = sound
        self.threadID = threadID
        self.contentAvailable = contentAvailable
        self.mutableContent = mutableContent
        self.custom = custom
        self.pushType = pushType
        self.priority = priority
        self.expiration = expiration
        self.collapseID = collapseID
        self.id = id
        self.topic = topic
    }

    /// The largest payload APNs takes (VoIP pushes may have 5120 bytes).
    public var maximumPayloadBytes: Int { pushType == .voip ? 5120 : 4096 }

    /// The JSON payload: `aps` first, then the custom keys sorted.
    public func payload() -> [UInt8] {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.key("aps")
        json.beginObject()
        if let alert {
            json.key("alert")
            json.beginObject()
            if let title = alert.title {
                json.key("title")
                json.string(title)
            }
            if let subtitle = alert.subtitle {
                json.key("subtitle")
                json.string(subtitle)
            }
            if let body = alert.body {
                json.key("body")
                json.string(body)
            }
            json.endObject()
        }
        if let badge {
            json.key("badge")
            json.integer(badge)
        }
        if let sound {
            json.key("sound")
            json.string(sound)
        }
        if let threadID {
            json.key("thread-id")
            json.string(threadID)
        }
        if contentAvailable {
            json.key("content-available")
            json.integer(1)
        }
        if mutableContent {
            json.key("mutable-content")
            json.integer(1)
        }
        json.endObject()
        for (key, value) in custom.sorted(by: { $0.key < $1.key }) where key != "aps" {
            json.key(key)
            json.value(value)
        }
        json.endObject()
        return json.bytes
    }

    /// The payload's top-level members in order.
    func payloadMembers() -> [(String, PushJSON)] {
        var aps: [(String, PushJSON)] = []
        if let alert {
            var fields: [(String, PushJSON)] = []
            if let title = alert.title { fields.append(("title", .string(title))) }
            if let subtitle = alert.subtitle { fields.append(("subtitle", .string(subtitle))) }
            if let body = alert.body { fields.append(("body", .string(body))) }
            aps.append(("alert", .object(Dictionary(fields, uniquingKeysWith: { $1 }))))
        }
        if let badge { aps.append(("badge", .integer(badge))) }
        if let sound { aps.append(("sound", .string(sound))) }
        if let threadID { aps.append(("thread-id", .string(threadID))) }
        if contentAvailable { aps.append(("content-available", .integer(1))) }
        if mutableContent { aps.append(("mutable-content", .integer(1))) }
        var members: [(String, PushJSON)] = [("aps", .object(Dictionary(aps, uniquingKeysWith: { $1 })))]
        members += custom.filter { $0.key != "aps" }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return members
    }
}
