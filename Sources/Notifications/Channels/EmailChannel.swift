import Contracts
import Foundation
import SMTP

/// E-mail through our SMTP client: multipart text and HTML, `Message-ID` from the delivery (so a message sent again
/// after a crash is recognisably the same one), one-click unsubscribe on everything not critical, DKIM when a key is
/// configured. A 4xx or a lost connection is tried again later; a 5xx for the mailbox is a bounce.
public struct EmailChannel: DeliveryChannel {
    private let client: SMTPClient
    private let from: MailAddress
    private let signer: DKIMSigner?
    private let domain: String

    /// E-mail through `client`, from `from`, signed by `signer` when given.
    public init(client: SMTPClient, from: MailAddress, signer: DKIMSigner? = nil) {
        self.client = client
        self.from = from
        self.signer = signer
        domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
    }

    /// `email`.
    public var channel: NotificationChannel { .email }

    /// Sends one message.
    public func send(_ message: OutgoingMessage) async -> DeliveryOutcome {
        let mail = MailMessage(
            from: from, to: [MailAddress(message.address)], subject: message.title, text: message.body, html: message.html,
            unsubscribeURL: message.critical ? nil : message.unsubscribeURL, messageID: "\(message.deliveryID)@\(domain)")
        do {
            let report = try await client.send(mail, signedWith: signer)
            guard let outcome = report.recipients.first else { return .failed(detail: "the server reported no recipient") }
            switch outcome.status {
            case .accepted: return .sent(providerID: nil, detail: "\(outcome.reply)")
            case .transientFailure: return .retry(after: nil, detail: "\(outcome.reply)")
            case .permanentFailure: return .bounced(detail: "\(outcome.reply)")
            }
        } catch {
            return error.isTransient ? .retry(after: nil, detail: "\(error)") : .failed(detail: "\(error)")
        }
    }
}
