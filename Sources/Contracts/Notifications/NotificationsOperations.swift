import Kernel

/// ``NotificationsAPI`` as the notification service's internal HTTP API: one ``RemoteOperation`` per method.
public enum NotificationsOperations {
    /// The service that answers these operations.
    public static let service = "notifications"

    /// The arguments of ``NotificationsAPI/registerDevice(_:userID:)``.
    public struct RegisterInput: Codable, Sendable {
        /// The device.
        public var registration: DeviceRegistration
        /// Its owner.
        public var userID: String
        /// Creates the body.
        public init(registration: DeviceRegistration, userID: String) {
            self.registration = registration
            self.userID = userID
        }
    }

    /// The arguments of the operations about one user.
    public struct UserInput: Codable, Sendable {
        /// The user.
        public var userID: String
        /// Creates the body.
        public init(userID: String) { self.userID = userID }
    }

    /// The arguments of ``NotificationsAPI/deleteDevice(id:userID:)``.
    public struct DeviceInput: Codable, Sendable {
        /// The device.
        public var id: String
        /// Its owner.
        public var userID: String
        /// Creates the body.
        public init(id: String, userID: String) {
            self.id = id
            self.userID = userID
        }
    }

    /// The arguments of ``NotificationsAPI/inbox(ofUser:unreadOnly:page:)``.
    public struct InboxInput: Codable, Sendable {
        /// The user.
        public var userID: String
        /// Only unread ones.
        public var unreadOnly: Bool
        /// Which page.
        public var page: PageRequest
        /// Creates the body.
        public init(userID: String, unreadOnly: Bool, page: PageRequest) {
            self.userID = userID
            self.unreadOnly = unreadOnly
            self.page = page
        }
    }

    /// The arguments of ``NotificationsAPI/markRead(ids:userID:)``.
    public struct MarkReadInput: Codable, Sendable {
        /// The notifications, or nil for all.
        public var ids: [String]?
        /// Their owner.
        public var userID: String
        /// Creates the body.
        public init(ids: [String]?, userID: String) {
            self.ids = ids
            self.userID = userID
        }
    }

    /// The arguments of ``NotificationsAPI/setPreferences(_:userID:)``.
    public struct PreferencesInput: Codable, Sendable {
        /// The preferences.
        public var preferences: NotificationPreferences
        /// Their owner.
        public var userID: String
        /// Creates the body.
        public init(preferences: NotificationPreferences, userID: String) {
            self.preferences = preferences
            self.userID = userID
        }
    }

    /// The arguments of ``NotificationsAPI/unsubscribe(userID:category:token:)``.
    public struct UnsubscribeInput: Codable, Sendable {
        /// The person.
        public var userID: String
        /// The category.
        public var category: NotificationCategory
        /// The link's token.
        public var token: String
        /// Creates the body.
        public init(userID: String, category: NotificationCategory, token: String) {
            self.userID = userID
            self.category = category
            self.token = token
        }
    }

    /// The arguments of ``NotificationsAPI/deliveries(ofCustomer:page:)``.
    public struct DeliveriesInput: Codable, Sendable {
        /// The customer.
        public var customerID: String
        /// Which page.
        public var page: PageRequest
        /// Creates the body.
        public init(customerID: String, page: PageRequest) {
            self.customerID = customerID
            self.page = page
        }
    }

    /// The arguments of the template operations.
    public struct TemplateInput: Codable, Sendable {
        /// The kind.
        public var kind: String
        /// The language.
        public var locale: String
        /// The texts (to set or preview), if any.
        public var texts: TemplateTexts?
        /// The administrator writing it (set only).
        public var authorID: String?
        /// Creates the body.
        public init(kind: String, locale: String, texts: TemplateTexts? = nil, authorID: String? = nil) {
            self.kind = kind
            self.locale = locale
            self.texts = texts
            self.authorID = authorID
        }
    }

    /// The arguments of ``NotificationsAPI/setOnCall(_:)``.
    public struct OnCallInput: Codable, Sendable {
        /// The list.
        public var entries: [OnCallEntry]
        /// Creates the body.
        public init(entries: [OnCallEntry]) { self.entries = entries }
    }

    /// ``NotificationsAPI/receiveAlerts(_:)``: a repeat is dropped by its fingerprint.
    public static let receiveAlerts: RemoteOperation<AlertmanagerPayload, AlertReceipt> = .repeatable(service, "receive-alerts")
    /// ``NotificationsAPI/onCall()``.
    public static let onCall: RemoteOperation<NoContent, [OnCallEntry]> = .repeatable(service, "on-call")
    /// ``NotificationsAPI/setOnCall(_:)``.
    public static let setOnCall: RemoteOperation<OnCallInput, [OnCallEntry]> = .repeatable(service, "set-on-call")
    /// ``NotificationsAPI/templates()``.
    public static let templates: RemoteOperation<NoContent, [NotificationTemplateInfo]> = .repeatable(service, "templates")
    /// ``NotificationsAPI/templateVersions(kind:locale:)``.
    public static let templateVersions: RemoteOperation<TemplateInput, [NotificationTemplateInfo]> = .repeatable(service, "template-versions")
    /// ``NotificationsAPI/setTemplate(kind:locale:_:authorID:)``: each call is a new version.
    public static let setTemplate: RemoteOperation<TemplateInput, NotificationTemplateInfo> = .once(service, "set-template")
    /// ``NotificationsAPI/previewTemplate(kind:locale:_:)``.
    public static let previewTemplate: RemoteOperation<TemplateInput, TemplatePreview> = .repeatable(service, "preview-template")
    /// ``NotificationsAPI/registerDevice(_:userID:)``: registering again is the same device.
    public static let registerDevice: RemoteOperation<RegisterInput, Device> = .repeatable(service, "register-device")
    /// ``NotificationsAPI/webPushKey()``.
    public static let webPushKey: RemoteOperation<NoContent, String?> = .repeatable(service, "web-push-key")
    /// ``NotificationsAPI/devices(ofUser:)``.
    public static let devices: RemoteOperation<UserInput, [Device]> = .repeatable(service, "devices")
    /// ``NotificationsAPI/deleteDevice(id:userID:)``.
    public static let deleteDevice: RemoteOperation<DeviceInput, NoContent> = .repeatable(service, "delete-device")
    /// ``NotificationsAPI/inbox(ofUser:unreadOnly:page:)``.
    public static let inbox: RemoteOperation<InboxInput, InboxPage> = .repeatable(service, "inbox")
    /// ``NotificationsAPI/markRead(ids:userID:)``.
    public static let markRead: RemoteOperation<MarkReadInput, Int> = .repeatable(service, "mark-read")
    /// ``NotificationsAPI/preferences(ofUser:)``.
    public static let preferences: RemoteOperation<UserInput, NotificationPreferences> = .repeatable(service, "preferences")
    /// ``NotificationsAPI/setPreferences(_:userID:)``.
    public static let setPreferences: RemoteOperation<PreferencesInput, NotificationPreferences> = .repeatable(service, "set-preferences")
    /// ``NotificationsAPI/unsubscribe(userID:category:token:)``.
    public static let unsubscribe: RemoteOperation<UnsubscribeInput, NoContent> = .repeatable(service, "unsubscribe")
    /// ``NotificationsAPI/deliveries(ofCustomer:page:)``.
    public static let deliveries: RemoteOperation<DeliveriesInput, Page<Delivery>> = .repeatable(service, "deliveries")
}
