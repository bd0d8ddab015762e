import Contracts
import Foundation
import Kernel
import Logging
import ServiceKit
import Storage
import Synchronization
import WebPush

/// The notification service (seed: Notification Service): turns events into notifications, routes them by each
/// person's preferences, quiet hours and devices, and delivers them through its channels with a log of every
/// attempt.
public final class NotificationsService: NotificationsAPI {
    let database: any Database
    let settings: NotificationsSettings
    let directory: any RecipientDirectory
    let channels: [NotificationChannel: any DeliveryChannel]
    let clock: any WallClock
    let logger: Logger
    let renderer: TemplateRenderer
    /// Wakes the delivery job when an event brought notifications.
    let wake = WakeSignal()
    /// Each provider's rate.
    let rateLimiter: ChannelRateLimiter
    /// The operators' templates in force.
    let templateCache = TemplateCache()
    /// The key Web Push messages are signed with, when that channel is on.
    let vapid: VAPIDKeySource?
    /// The unsubscribe links' key, once read.
    let unsubscribeKey = Mutex<Data?>(nil)

    /// Creates the service over a database migrated with ``NotificationsMigrations/set``; people are found in
    /// `directory`, messages leave through `channels` (a channel not given is not used: its deliveries are not made).
    public init(
        database: any Database, directory: any RecipientDirectory, channels: [any DeliveryChannel], settings: NotificationsSettings = .init(),
        vapid: VAPIDKeySource? = nil, clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "lastmile.notifications")
    ) {
        self.vapid = vapid
        self.database = database
        self.directory = directory
        self.channels = Dictionary(channels.map { ($0.channel, $0) }, uniquingKeysWith: { first, _ in first })
        self.settings = settings
        self.clock = clock
        self.logger = logger
        renderer = TemplateRenderer(baseURL: settings.publicBaseURL, brand: settings.brand)
        rateLimiter = ChannelRateLimiter(rates: settings.rates)
    }

    // MARK: Devices

    /// Registers a device after checking its token or subscription; the same token again refreshes the same device.
    public func registerDevice(_ registration: DeviceRegistration, userID: String) async throws -> Device {
        let token = try DeviceRules.token(of: registration, hosts: settings.webPushHosts)
        let appID = try DeviceRules.optionalText(registration.appId, field: "appId", maximum: 200)
        let name = try DeviceRules.optionalText(registration.name, field: "name", maximum: 100)
        if let locale = registration.locale, locale != "ru", locale != "en" {
            throw NotificationsError.invalidField(field: "locale", reason: "ru or en")
        }
        let now = clock.now()
        let limit = settings.maximumDevices
        let record = try await database.transaction { tx in
            let kept = try await DeviceStore.upsert(
                DeviceRecord(
                    id: Identifier<Device>.generate().rawValue, userID: userID, platform: registration.platform, token: token, appID: appID,
                    name: name, locale: registration.locale, createdAt: now, lastSeenAt: now), in: tx)
            guard try await DeviceStore.count(ofUser: userID, in: tx) <= limit else {
                throw NotificationsError.invalidField(field: "token", reason: "at most \(limit) devices per person: remove one first")
            }
            return kept
        }
        return record.device
    }

    /// A user's devices, newest first.
    public func devices(ofUser userID: String) async throws -> [Device] {
        try await DeviceStore.ofUser(userID, in: database).map(\.device)
    }

    /// The public VAPID key, when Web Push is on.
    public func webPushKey() async throws -> String? {
        guard channels[.webPush] != nil, let vapid else { return nil }
        return try await vapid.key().applicationServerKey
    }

    /// Forgets one of a user's devices.
    public func deleteDevice(id: String, userID: String) async throws {
        guard try await DeviceStore.delete(id: id, userID: userID, in: database) else { throw NotificationsError.notFound }
    }

    // MARK: Inbox

    /// A user's inbox, newest first.
    public func inbox(ofUser userID: String, unreadOnly: Bool, page: PageRequest) async throws -> InboxPage {
        let position = try Self.position(page.cursor)
        let items = try await InboxStore.page(userID: userID, unreadOnly: unreadOnly, after: position, limit: page.limit + 1, in: database)
        let shown = Array(items.prefix(page.limit))
        let next = items.count > page.limit ? shown.last.map { Self.cursor($0.createdAt, $0.id) } : nil
        return InboxPage(items: shown, nextCursor: next, unread: try await InboxStore.unread(userID: userID, in: database))
    }

    /// Marks notifications read; returns the unread count after.
    public func markRead(ids: [String]?, userID: String) async throws -> Int {
        if let ids {
            guard ids.count <= 200 else { throw NotificationsError.invalidField(field: "ids", reason: "at most 200 at once") }
            guard ids.allSatisfy({ !$0.isEmpty && $0.count <= 64 }) else {
                throw NotificationsError.invalidField(field: "ids", reason: "notification ids as the inbox gave them")
            }
        }
        try await InboxStore.markRead(ids: ids, userID: userID, at: clock.now(), in: database)
        return try await InboxStore.unread(userID: userID, in: database)
    }

    // MARK: Preferences

    /// A user's preferences, or the defaults.
    public func preferences(ofUser userID: String) async throws -> NotificationPreferences {
        try await PreferenceStore.find(userID: userID, in: database) ?? PreferenceRules.defaults(timeZone: settings.timeZone)
    }

    /// Replaces a user's preferences after checking them.
    public func setPreferences(_ preferences: NotificationPreferences, userID: String) async throws -> NotificationPreferences {
        let checked = try PreferenceRules.checked(preferences)
        try await PreferenceStore.save(checked, userID: userID, at: clock.now(), in: database)
        return checked
    }

    // MARK: Operators

    /// A customer's delivery log, newest first.
    public func deliveries(ofCustomer customerID: String, page: PageRequest) async throws -> Page<Delivery> {
        let position = try Self.position(page.cursor)
        let records = try await DeliveryStore.page(customerID: customerID, after: position, limit: page.limit + 1, in: database)
        let shown = Array(records.prefix(page.limit))
        let next = records.count > page.limit ? shown.last.map { Self.cursor($0.createdAt, $0.id) } : nil
        return Page(items: shown.map(\.delivery), nextCursor: next)
    }

    // MARK: Cursors

    private struct Position: Codable {
        var t: Date
        var i: String
    }

    static func cursor(_ at: Date, _ id: String) -> String {
        Base64URL.encode(Array(StoreJSON.text(Position(t: at, i: id)).utf8))
    }

    static func position(_ cursor: String?) throws -> (Date, String)? {
        guard let cursor else { return nil }
        guard cursor.count <= 200, let bytes = Base64URL.decode(Substring(cursor)),
            let position = try? JSONDecoder().decode(Position.self, from: Data(bytes))
        else {
            throw NotificationsError.invalidField(field: "cursor", reason: "not a cursor this list gave")
        }
        return (position.t, position.i)
    }
}
