import Foundation

/// A device a user registers to receive pushes: `POST /api/v1/notifications/devices`.
public struct DeviceRegistration: Codable, Sendable, Hashable {
    /// Through what it receives them.
    public var platform: DevicePlatform
    /// The FCM registration token or the APNs device token (hex); nil for Web Push.
    public var token: String?
    /// The browser's `PushSubscription.toJSON()` for Web Push.
    public var subscription: WebPushSubscriptionKeys?
    /// The app's identifier: the APNs topic (bundle id) or the FCM app; nil for Web Push.
    public var appId: String?
    /// The language the device shows, `ru` or `en`; the user's own otherwise.
    public var locale: String?
    /// A name the user recognises (“Pixel 8”, “Firefox on the laptop”).
    public var name: String?

    /// Creates a registration.
    public init(
        platform: DevicePlatform, token: String? = nil, subscription: WebPushSubscriptionKeys? = nil, appId: String? = nil,
        locale: String? = nil, name: String? = nil
    ) {
        self.platform = platform
        self.token = token
        self.subscription = subscription
        self.appId = appId
        self.locale = locale
        self.name = name
    }
}

/// A browser's push subscription, as `PushSubscription.toJSON()` gives it.
public struct WebPushSubscriptionKeys: Codable, Sendable, Hashable {
    /// The push service's URL for this subscription (https).
    public var endpoint: String
    /// The keys.
    public var keys: Keys

    /// The subscription's keys, base64url.
    public struct Keys: Codable, Sendable, Hashable {
        /// The browser's P-256 public key, uncompressed.
        public var p256dh: String
        /// The 16-byte authentication secret.
        public var auth: String

        /// Creates the keys.
        public init(p256dh: String, auth: String) {
            self.p256dh = p256dh
            self.auth = auth
        }
    }

    /// Creates a subscription.
    public init(endpoint: String, keys: Keys) {
        self.endpoint = endpoint
        self.keys = keys
    }
}

/// A registered device, as its owner sees it (the token itself is never shown again).
public struct Device: Codable, Sendable, Hashable {
    /// Its id.
    public var id: String
    /// Through what it receives pushes.
    public var platform: DevicePlatform
    /// The app, if given.
    public var appId: String?
    /// The name the user gave.
    public var name: String?
    /// Its language.
    public var locale: String?
    /// When it was registered.
    public var createdAt: Date
    /// When it last registered again or received a push.
    public var lastSeenAt: Date

    /// Creates a device.
    public init(
        id: String, platform: DevicePlatform, appId: String?, name: String?, locale: String?, createdAt: Date, lastSeenAt: Date
    ) {
        self.id = id
        self.platform = platform
        self.appId = appId
        self.name = name
        self.locale = locale
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }
}
