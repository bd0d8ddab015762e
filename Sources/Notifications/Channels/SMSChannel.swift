import Contracts
import Foundation
import SMS

/// Text messages through an SMS gateway (SMS.ru, or the sandbox that records them). A message whose answer was lost
/// is not sent again (no gateway deduplicates): it is left unconfirmed for operators to see.
public struct SMSChannel: DeliveryChannel {
    private let provider: any SMSProvider
    private let sender: String?

    /// Texts through `provider`, from the approved sender name `sender` (the gateway's default when nil).
    public init(provider: any SMSProvider, sender: String? = nil) {
        self.provider = provider
        self.sender = sender
    }

    /// `sms`.
    public var channel: NotificationChannel { .sms }

    /// What the gateway knows of a text it accepted.
    public func fate(ofMessage providerID: String) async -> DeliveryFate? {
        switch try? await provider.status(ofMessage: providerID) {
        case .delivered(let cost): .delivered(detail: "delivered to the phone" + (cost.map { ", cost \($0) kopecks" } ?? ""))
        case .failed(let code, let reason): .failed(detail: "\(provider.name) could not deliver it (\(code)): \(reason)")
        default: nil
        }
    }

    /// Sends one text.
    public func send(_ message: OutgoingMessage) async -> DeliveryOutcome {
        let number: PhoneNumber
        do {
            number = try PhoneNumber(message.address)
        } catch {
            return .failed(detail: "not a phone number a text can go to: \(error)")
        }
        do {
            let outcomes = try await provider.send(SMSMessage(text: message.body, to: [number], sender: sender))
            guard let outcome = outcomes.first?.outcome else { return .unconfirmed(detail: "\(provider.name) answered for no number") }
            switch outcome {
            case .accepted(let id, let cost, let segments):
                let parts = [segments.map { "\($0) segments" }, cost.map { "cost \($0) kopecks" }].compactMap { $0 }
                return .sent(providerID: id, detail: (["accepted by \(provider.name)"] + parts).joined(separator: ", "))
            case .refused(let code, let reason):
                return .failed(detail: "\(provider.name) refused (\(code)): \(reason)")
            case .retryLater(let code, let reason, let after):
                return .retry(after: after, detail: "\(provider.name) asked to try later (\(code)): \(reason)")
            }
        } catch {
            switch error {
            case .unreachable(let reason): return .retry(after: nil, detail: "\(provider.name) not reached: \(reason)")
            case .outcomeUnknown(let reason): return .unconfirmed(detail: "\(provider.name) did not answer: \(reason)")
            case .invalidMessage(let reason): return .failed(detail: reason)
            }
        }
    }
}
