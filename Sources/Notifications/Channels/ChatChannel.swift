import Contracts
import Foundation
import StaffChat

/// Alerts to the staff's chats: each delivery's address names one of the configured chats (`webhook`, `telegram`).
public struct ChatChannel: DeliveryChannel {
    private let chats: [String: any StaffChatChannel]

    /// The chats, by the name deliveries address them with.
    public init(chats: [String: any StaffChatChannel]) { self.chats = chats }

    /// The names of the chats.
    public var names: [String] { chats.keys.sorted() }

    /// `chat`.
    public var channel: NotificationChannel { .chat }

    /// Posts one alert.
    public func send(_ message: OutgoingMessage) async -> DeliveryOutcome {
        guard let chat = chats[message.address] else { return .failed(detail: "no chat named \(message.address) is configured") }
        let severity: StaffAlertSeverity =
            message.kind == AlertRouting.resolvedKind
            ? .resolved : StaffAlertSeverity(rawValue: String(message.kind.split(separator: ".").last ?? "")) ?? .warning
        do {
            switch try await chat.post(StaffAlert(title: message.title, text: message.body, severity: severity, link: message.url)) {
            case .delivered: return .sent(providerID: nil, detail: "posted to \(chat.kind)")
            case .retry(let after): return .retry(after: after, detail: "\(chat.kind) asked to try later")
            case .refused(let status, let reason): return .failed(detail: "\(chat.kind) refused (\(status)): \(reason)")
            }
        } catch {
            switch error {
            case .unreachable(let reason): return .retry(after: nil, detail: reason)
            case .outcomeUnknown(let reason): return .unconfirmed(detail: reason)
            }
        }
    }
}
