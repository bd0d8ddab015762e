import AsyncHTTPClient
import Contracts
import Foundation
import WebPush

/// Pushes to installed web apps through the browsers' push services (RFC 8030, the payload encrypted per RFC 8291,
/// signed with the VAPID key of RFC 8292). The delivery's id is the message's `Topic`, so a message sent again
/// after a crash replaces the first one still waiting. A subscription the push service calls gone is forgotten.
public struct WebPushChannel: DeliveryChannel {
    private let client: HTTPClient
    private let subject: VAPIDSubject
    private let key: @Sendable () async throws -> VAPIDKey
    private let hosts: WebPushHostPolicy

    /// Pushes through `client`, signed with the key `key` gives, for the contact `subject`, to endpoints `hosts` allows.
    public init(
        client: HTTPClient, subject: VAPIDSubject, hosts: WebPushHostPolicy = .wellKnownPushServices,
        key: @escaping @Sendable () async throws -> VAPIDKey
    ) {
        self.client = client
        self.subject = subject
        self.key = key
        self.hosts = hosts
    }

    /// `web_push`.
    public var channel: NotificationChannel { .webPush }

    /// Web Push subscriptions.
    public func serves(_ platform: DevicePlatform) -> Bool { platform == .webpush }

    /// Sends one push.
    public func send(_ message: OutgoingMessage) async -> DeliveryOutcome {
        let subscription: WebPushSubscription
        do {
            subscription = try WebPushSubscription(json: Array(message.address.utf8), hosts: hosts)
        } catch {
            return .bounced(detail: "the subscription is no longer valid: \(error.field) \(error.reason)")
        }
        let payload = WebPushPayload(title: message.title, body: message.body, url: message.url, tag: message.deliveryID)
        let text = String(decoding: (try? JSONEncoder().encode(payload)) ?? Data(), as: UTF8.self)
        let options = WebPushOptions(
            timeToLive: message.critical ? 7 * 86_400 : 86_400, urgency: message.critical ? .high : .normal,
            topic: String(message.deliveryID.filter { $0 != "-" }.prefix(32)))
        do {
            let sender = WebPushSender(key: try await key(), subject: subject, client: client)
            switch try await sender.send(text, to: subscription, options: options) {
            case .delivered: return .sent(providerID: nil, detail: "accepted by the push service")
            case .subscriptionGone: return .bounced(detail: "the push service says the subscription is gone")
            case .retry(let after): return .retry(after: after, detail: "the push service asked to try later")
            case .refused(let status, let reason): return .failed(detail: "the push service refused (\(status)): \(reason)")
            }
        } catch let error as WebPushError {
            switch error {
            case .unreachable, .outcomeUnknown: return .retry(after: nil, detail: "\(error)")
            default: return .failed(detail: "\(error)")
            }
        } catch {
            return .retry(after: nil, detail: "the VAPID key is not available: \(error)")
        }
    }
}

/// What the web app's service worker receives and shows.
struct WebPushPayload: Codable {
    var title: String
    var body: String
    var url: String?
    var tag: String
}
