import Foundation

/// A provider's answer to one push: delivered, a device token to forget, a later try, or a refusal.
public enum PushOutcome: Sendable, Hashable {
    /// The provider accepted the notification: `id` is APNs' `apns-id` or FCM's message name.
    case delivered(id: String)
    /// The device token no longer reaches an app (APNs' 410 `Unregistered` or 400 `BadDeviceToken`, FCM's
    /// `UNREGISTERED` or an invalid token): forget it. `since` is when the provider last saw it invalid, when it says.
    case deviceTokenDead(reason: String, since: Date?)
    /// The provider asks to try again later (APNs' 429 and 5xx, and `ExpiredProviderToken`; FCM's `QUOTA_EXCEEDED`,
    /// `UNAVAILABLE`, `INTERNAL`, any 429 or 5xx); `after` is its `Retry-After`, when it gave one.
    case retry(reason: String, after: Duration?)
    /// The provider refused the notification for `reason` (APNs' JSON `reason`, FCM's error code) with HTTP `status`;
    /// sending it again as it is will fail the same way.
    case refused(reason: String, status: Int)
}
