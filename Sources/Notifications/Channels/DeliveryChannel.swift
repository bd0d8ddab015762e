import Contracts
import Foundation

/// One message ready for its channel: what the sender job hands a ``DeliveryChannel``.
public struct OutgoingMessage: Sendable, Hashable {
    /// The delivery's id: the e-mail's Message-ID, the push's collapse id, so that a message sent again after a crash
    /// replaces the first where the channel allows it.
    public var deliveryID: String
    /// The kind of notification.
    public var kind: String
    /// The e-mail address, the phone number, or the device's token.
    public var address: String
    /// For pushes: the device's platform and app.
    public var device: PushTarget?
    /// The headline (subject, push title).
    public var title: String
    /// The short text.
    public var body: String
    /// The e-mail's HTML.
    public var html: String?
    /// The link, absolute.
    public var url: String?
    /// The language.
    public var locale: String
    /// Critical: never deferred, never unsubscribed.
    public var critical: Bool
    /// The one-click unsubscribe address of e-mails that are not critical.
    public var unsubscribeURL: String?

    /// Creates a message.
    public init(
        deliveryID: String, kind: String, address: String, device: PushTarget?, title: String, body: String, html: String?, url: String?,
        locale: String, critical: Bool, unsubscribeURL: String?
    ) {
        self.deliveryID = deliveryID
        self.kind = kind
        self.address = address
        self.device = device
        self.title = title
        self.body = body
        self.html = html
        self.url = url
        self.locale = locale
        self.critical = critical
        self.unsubscribeURL = unsubscribeURL
    }
}

/// Where a push goes: the device's platform and app.
public struct PushTarget: Sendable, Hashable {
    /// FCM, APNs or Web Push.
    public var platform: DevicePlatform
    /// The APNs topic or FCM app, if given.
    public var appID: String?
    /// The device's id.
    public var deviceID: String

    /// Creates a target.
    public init(platform: DevicePlatform, appID: String?, deviceID: String) {
        self.platform = platform
        self.appID = appID
        self.deviceID = deviceID
    }
}

/// How one attempt ended.
public enum DeliveryOutcome: Sendable, Hashable {
    /// Accepted by the server or provider, with its id of the message if it gave one.
    case sent(providerID: String?, detail: String?)
    /// Not now: try again, after the provider's `Retry-After` if it said.
    case retry(after: Duration?, detail: String)
    /// Refused for good.
    case failed(detail: String)
    /// The address does not exist: a dead device token (the device is forgotten), a mailbox that does not exist.
    case bounced(detail: String)
    /// Sent, perhaps: the provider's answer was lost, and sending again might deliver it twice (text messages).
    case unconfirmed(detail: String)
}

/// A way out: e-mail over SMTP, SMS, FCM/APNs, Web Push. Channels are called outside any database transaction.
public protocol DeliveryChannel: Sendable {
    /// Which channel it is.
    var channel: NotificationChannel { get }
    /// Whether it can send to a device of `platform` (push channels only).
    func serves(_ platform: DevicePlatform) -> Bool
    /// Sends one message; never throws: every failure is an outcome.
    func send(_ message: OutgoingMessage) async -> DeliveryOutcome
    /// What the provider knows of a message it accepted, where it reports delivery (text messages); nil when it
    /// cannot be asked or does not know yet.
    func fate(ofMessage providerID: String) async -> DeliveryFate?
}

/// A provider's final word on a message it accepted.
public enum DeliveryFate: Sendable, Hashable {
    /// It reached the phone or device.
    case delivered(detail: String)
    /// It will not (expired, phone off, rejected by the operator).
    case failed(detail: String)
}

extension DeliveryChannel {
    /// Channels that are not pushes serve no device.
    public func serves(_ platform: DevicePlatform) -> Bool { false }

    /// Most providers report nothing after accepting.
    public func fate(ofMessage providerID: String) async -> DeliveryFate? { nil }
}
