import Contracts
import Foundation
import WebPush

/// What an ISP tunes in its notifications (environment: `LASTMILE_NOTIFICATIONS_*`, see the README).
public struct NotificationsSettings: Sendable {
    /// The personal account's address, for links in messages.
    public var publicBaseURL = "http://localhost:8080"
    /// The provider's name in e-mails.
    public var brand = "LastMile"
    /// The time zone of people who chose none.
    public var timeZone = TimeZone(identifier: "Europe/Moscow")!
    /// Text messages a person may get a day; what comes after is suppressed (critical ones too: a cap protects the
    /// bill from a loop).
    public var smsDailyCap = 10
    /// The approved sender name of text messages (`LASTMILE_SMS_SENDER`); the gateway's default when nil.
    public var smsSender: String?
    /// Attempts before a delivery is given up.
    public var maximumAttempts = 8
    /// The first retry's delay; each next one doubles, up to ``maximumRetryDelay``, with jitter.
    public var firstRetryDelay: TimeInterval = 30
    /// The longest wait between attempts.
    public var maximumRetryDelay: TimeInterval = 3_600
    /// Deliveries sent at once by one process.
    public var concurrentSends = 32
    /// How long after a push or text message another one of the same kind to the same device or phone waits, to go
    /// with whatever else comes meanwhile as one digest (`0` turns digests off). Critical ones never wait.
    public var digestWindow: TimeInterval = 180
    /// Messages a second one process hands each channel's provider (`LASTMILE_NOTIFICATIONS_RATE_*`); a channel not
    /// named is not limited. What goes over waits a second in the queue, its attempt not counted.
    public var rates: [NotificationChannel: Int] = [.sms: 20, .push: 500, .webPush: 200, .chat: 1]
    /// Notifications routed at once by one process.
    public var concurrentRoutes = 16
    /// How long a claimed delivery belongs to its sender before another may take it back.
    public var lease: TimeInterval = 300
    /// Devices one person may register.
    public var maximumDevices = 20
    /// The push services a browser's subscription may point at (the server posts to them): the browsers' own.
    public var webPushHosts = WebPushHostPolicy.wellKnownPushServices

    /// The defaults.
    public init() {}
}
