/// Every way a notification-service operation can be refused; each says its HTTP answer
/// (`NotificationsError+Problem.swift`).
public enum NotificationsError: Error, Sendable, Equatable, Codable {
    /// No such device or notification (or not the caller's).
    case notFound
    /// A field is wrong; says which and why.
    case invalidField(field: String, reason: String)
}

extension NotificationsError: RemoteError {
    /// Travels between processes under this name.
    public static let remoteName = "NotificationsError"
}
