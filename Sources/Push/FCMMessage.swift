import Foundation

/// One message to one Android (or Apple, through FCM) device: the `message` object of FCM's HTTP v1 `messages:send`.
public struct FCMMessage: Sendable, Hashable {
    /// What the system shows.
    public struct Notification: Sendable, Hashable {
        /// The title.
        public var title: String?
        /// The text.
        public var body: String?

        /// Creates the shown part.
        public init(title: String? = nil, body: String? = nil) {
            self.title = title
            self.body = body
        }
    }

    /// How Android devices get it.
    public struct Android: Sendable, Hashable {
        /// `android.priority`.
        public enum Priority: String, Sendable, Hashable {
            /// Wakes a sleeping device.
            case high = "HIGH"
            /// Waits for the device to wake.
            case normal = "NORMAL"
        }

        /// The delivery priority.
        public var priority: Priority?
        /// How long FCM keeps trying (`ttl`, whole seconds).
        public var timeToLive: Duration?
        /// Messages with the same key replace each other while undelivered (`collapse_key`).
        public var collapseKey: String?

        /// Creates Android options.
        public init(priority: Priority? = nil, timeToLive: Duration? = nil, collapseKey: String? = nil) {
            self.priority = priority
            self.timeToLive = timeToLive
            self.collapseKey = collapseKey
        }
    }

    /// The device's registration token.
    public var token: String
    /// The shown part, if any.
    public var notification: Notification?
    /// Key-value data for the app (FCM takes strings only).
    public var data: [String: String]
    /// Android options.
    public var android: Android?
    /// APNs headers for Apple devices reached through FCM (`apns.headers`).
    public var apnsHeaders: [String: String]
    /// The APNs payload for Apple devices reached through FCM (`apns.payload`).
    public var apnsPayload: APNsNotification?

    /// Creates a message.
    public init(
        token: String, notification: Notification? = nil, data: [String: String] = [:], android: Android? = nil,
        apnsHeaders: [String: String] = [:], apnsPayload: APNsNotification? = nil
    ) {
        self.token = token
        self.notification = notification
        self.data = data
        self.android = android
        self.apnsHeaders = apnsHeaders
        self.apnsPayload = apnsPayload
    }

    /// The request body, `{"message": {…}}`.
    func body() -> [UInt8] {
        var message: [(String, PushJSON)] = [("token", .string(token))]
        if let notification {
            var fields: [String: PushJSON] = [:]
            if let title = notification.title { fields["title"] = .string(title) }
            if let body = notification.body { fields["body"] = .string(body) }
            message.append(("notification", .object(fields)))
        }
        if !data.isEmpty { message.append(("data", .object(data.mapValues { .string($0) }))) }
        if let android {
            var fields: [String: PushJSON] = [:]
            if let priority = android.priority { fields["priority"] = .string(priority.rawValue) }
            if let ttl = android.timeToLive { fields["ttl"] = .string("\(ttl.components.seconds)s") }
            if let collapseKey = android.collapseKey { fields["collapse_key"] = .string(collapseKey) }
            message.append(("android", .object(fields)))
        }
        if !apnsHeaders.isEmpty || apnsPayload != nil {
            var apns: [String: PushJSON] = [:]
            if !apnsHeaders.isEmpty { apns["headers"] = .object(apnsHeaders.mapValues { .string($0) }) }
            if let apnsPayload { apns["payload"] = .object(Dictionary(apnsPayload.payloadMembers(), uniquingKeysWith: { $1 })) }
            message.append(("apns", .object(apns)))
        }
        var out: [UInt8] = []
        JSONText.object([("message", .object(Dictionary(message, uniquingKeysWith: { $1 })))], to: &out)
        return out
    }
}
