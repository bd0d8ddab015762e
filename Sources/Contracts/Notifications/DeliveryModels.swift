import Foundation

/// One message to one address through one channel, as operators see it in the delivery log.
public struct Delivery: Codable, Sendable, Hashable {
    /// Its id.
    public var id: String
    /// The notification it delivers.
    public var notificationId: String
    /// The event it tells of.
    public var kind: String
    /// Through what.
    public var channel: NotificationChannel
    /// To what: an e-mail address, a phone number masked, a device's id.
    public var address: String
    /// Where it stands.
    public var state: DeliveryState
    /// How many times it was tried.
    public var attempts: Int
    /// The provider's or server's last answer, or why it failed.
    public var detail: String?
    /// The provider's id of the message, when it gave one.
    public var providerId: String?
    /// When it was queued.
    public var createdAt: Date
    /// When it is due next (quiet hours, a retry).
    public var dueAt: Date?
    /// When it was sent.
    public var sentAt: Date?

    /// Creates an entry.
    public init(
        id: String, notificationId: String, kind: String, channel: NotificationChannel, address: String, state: DeliveryState,
        attempts: Int, detail: String?, providerId: String?, createdAt: Date, dueAt: Date?, sentAt: Date?
    ) {
        self.id = id
        self.notificationId = notificationId
        self.kind = kind
        self.channel = channel
        self.address = address
        self.state = state
        self.attempts = attempts
        self.detail = detail
        self.providerId = providerId
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.sentAt = sentAt
    }
}
