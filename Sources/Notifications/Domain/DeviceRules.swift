import Contracts
import Foundation
import Kernel
import WebPush

/// The checks of a device registration: each refusal names its field.
enum DeviceRules {
    /// The token to keep: an FCM registration token, an APNs device token (hex), or a Web Push subscription as JSON.
    static func token(of registration: DeviceRegistration, hosts: WebPushHostPolicy) throws -> String {
        switch registration.platform {
        case .fcm:
            guard registration.subscription == nil else { throw NotificationsError.invalidField(field: "subscription", reason: "only for webpush") }
            guard let token = registration.token, (32...4096).contains(token.utf8.count),
                token.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_:.".unicodeScalars.contains($0)) })
            else { throw NotificationsError.invalidField(field: "token", reason: "an FCM registration token") }
            return token
        case .apns:
            guard registration.subscription == nil else { throw NotificationsError.invalidField(field: "subscription", reason: "only for webpush") }
            guard let token = registration.token?.lowercased(), token.count % 2 == 0, (64...200).contains(token.count),
                token.allSatisfy(\.isHexDigit)
            else { throw NotificationsError.invalidField(field: "token", reason: "an APNs device token: 64 or more hexadecimal digits") }
            guard registration.appId != nil else {
                throw NotificationsError.invalidField(field: "appId", reason: "the app's bundle id, the APNs topic")
            }
            return token
        case .webpush:
            guard registration.token == nil else { throw NotificationsError.invalidField(field: "token", reason: "webpush takes a subscription") }
            guard let subscription = registration.subscription else {
                throw NotificationsError.invalidField(field: "subscription", reason: "the browser's PushSubscription.toJSON()")
            }
            do {
                _ = try WebPushSubscription(
                    endpoint: subscription.endpoint, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth, hosts: hosts)
            } catch {
                throw NotificationsError.invalidField(field: "subscription.\(error.field)", reason: error.reason)
            }
            return StoreJSON.text(subscription)
        }
    }

    /// An optional short text, trimmed.
    static func optionalText(_ text: String?, field: String, maximum: Int) throws -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard text.count <= maximum, !text.contains(where: { $0.isNewline }) else {
            throw NotificationsError.invalidField(field: field, reason: "one line of at most \(maximum) characters")
        }
        return text
    }
}
