import Kernel

/// The notification service as the gateway and other services see it (seed: Notification Service).
///
/// The service itself is driven by events: it turns billing's, support's and auth's events into notifications,
/// chooses channels by each user's preferences and devices, and delivers them. This API is what people do with it.
public protocol NotificationsAPI: Sendable {
    // MARK: Devices

    /// Registers (or refreshes) a device of `userID` for pushes; the same token registered again is the same device.
    func registerDevice(_ registration: DeviceRegistration, userID: String) async throws -> Device
    /// A user's devices, newest first.
    func devices(ofUser userID: String) async throws -> [Device]
    /// Forgets one of a user's devices; another user's device is not found.
    func deleteDevice(id: String, userID: String) async throws
    /// The public key browsers subscribe to Web Push with (`applicationServerKey`); nil when Web Push is off.
    func webPushKey() async throws -> String?

    // MARK: Inbox

    /// A user's inbox, newest first, with the count of unread notifications.
    func inbox(ofUser userID: String, unreadOnly: Bool, page: PageRequest) async throws -> InboxPage
    /// Marks some of a user's notifications read (all of them with `ids` nil); returns the unread count after.
    func markRead(ids: [String]?, userID: String) async throws -> Int

    // MARK: Preferences

    /// A user's preferences (the defaults until they change them).
    func preferences(ofUser userID: String) async throws -> NotificationPreferences
    /// Replaces a user's preferences.
    func setPreferences(_ preferences: NotificationPreferences, userID: String) async throws -> NotificationPreferences
    /// Turns e-mail off for one category, from the signed link in an e-mail (no sign-in; the token is the check).
    func unsubscribe(userID: String, category: NotificationCategory, token: String) async throws

    // MARK: Operators

    /// The delivery log of one customer, newest first (operators).
    func deliveries(ofCustomer customerID: String, page: PageRequest) async throws -> Page<Delivery>
    /// Every kind's template in each language, as in force.
    func templates() async throws -> [NotificationTemplateInfo]
    /// Every version an operator wrote of one kind's template in one language, newest first.
    func templateVersions(kind: String, locale: String) async throws -> [NotificationTemplateInfo]
    /// Puts a new version of a template in force, after checking it compiles and renders on sample values
    /// (administrators).
    func setTemplate(kind: String, locale: String, _ texts: TemplateTexts, authorID: String) async throws -> NotificationTemplateInfo
    /// A template (the one in force when `texts` is nil) rendered on sample values.
    func previewTemplate(kind: String, locale: String, _ texts: TemplateTexts?) async throws -> TemplatePreview

    // MARK: Alerts (seed: monitoring, step 5)

    /// Routes Alertmanager's alerts to the on-call list and the staff chats by severity; an alert seen before (same
    /// fingerprint, status and start) is dropped.
    func receiveAlerts(_ payload: AlertmanagerPayload) async throws -> AlertReceipt
    /// The on-call list.
    func onCall() async throws -> [OnCallEntry]
    /// Replaces the on-call list (administrators).
    func setOnCall(_ entries: [OnCallEntry]) async throws -> [OnCallEntry]
}
