import Contracts
import Foundation
import Push

/// Pushes to the mobile app: APNs for iOS devices, FCM for Android (and apps using Firebase on iOS). The delivery's
/// id is the notification's collapse id (`apns-collapse-id`, FCM's `collapse_key`), so a push sent again after a crash
/// replaces the first on the device; a token the provider calls dead is forgotten.
public struct MobilePushChannel: DeliveryChannel {
    private let apns: APNsClient?
    private let fcm: FCMClient?

    /// Pushes through `apns` and `fcm`, whichever are configured.
    public init(apns: APNsClient?, fcm: FCMClient?) {
        self.apns = apns
        self.fcm = fcm
    }

    /// `push`.
    public var channel: NotificationChannel { .push }

    /// The platforms with a configured provider.
    public func serves(_ platform: DevicePlatform) -> Bool {
        switch platform {
        case .apns: apns != nil
        case .fcm: fcm != nil
        case .webpush: false
        }
    }

    /// Sends one push.
    public func send(_ message: OutgoingMessage) async -> DeliveryOutcome {
        guard let device = message.device else { return .failed(detail: "a push needs a device") }
        var custom: [String: PushJSON] = ["delivery": .string(message.deliveryID), "kind": .string(message.kind)]
        if let url = message.url { custom["url"] = .string(url) }
        do {
            let outcome: PushOutcome
            switch device.platform {
            case .apns:
                guard let apns else { return .failed(detail: "APNs is not configured") }
                let notification = APNsNotification(
                    alert: .init(title: message.title, body: message.body), sound: "default", custom: custom, pushType: .alert,
                    priority: message.critical ? .immediate : .conserve, collapseID: message.deliveryID, topic: device.appID)
                outcome = try await apns.send(notification, to: message.address)
            case .fcm:
                guard let fcm else { return .failed(detail: "FCM is not configured") }
                var data = ["delivery": message.deliveryID, "kind": message.kind]
                if let url = message.url { data["url"] = url }
                outcome = try await fcm.send(
                    FCMMessage(
                        token: message.address, notification: .init(title: message.title, body: message.body), data: data,
                        android: .init(priority: message.critical ? .high : .normal, collapseKey: message.deliveryID)))
            case .webpush:
                return .failed(detail: "a web push goes through the web_push channel")
            }
            switch outcome {
            case .delivered(let id): return .sent(providerID: id, detail: "accepted by \(device.platform.rawValue)")
            case .deviceTokenDead(let reason, _): return .bounced(detail: "\(device.platform.rawValue): \(reason)")
            case .retry(let reason, let after): return .retry(after: after, detail: "\(device.platform.rawValue): \(reason)")
            case .refused(let reason, let status): return .failed(detail: "\(device.platform.rawValue) refused (\(status)): \(reason)")
            }
        } catch {
            // Never sent, or sent with the answer lost: the collapse id makes a repeat replace the first.
            return error.isTransient ? .retry(after: nil, detail: "\(error)") : .failed(detail: "\(error)")
        }
    }
}

/// A push provider's client, to shut down with the process.
public protocol PushProviderClient: Sendable {
    /// Closes its connection.
    func shutdown() async
}

extension APNsClient: PushProviderClient {}
extension FCMClient: PushProviderClient {}
