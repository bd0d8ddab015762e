import AsyncHTTPClient
import ClientSupport
import Foundation
import NIOHTTP1

/// A Slack incoming webhook, or Mattermost's (which takes Slack's shape): the alert as `text` for notifications and
/// an attachment coloured by severity. The webhook URL is a secret: it is never written to logs or errors.
public struct IncomingWebhookChannel: StaffChatChannel {
    /// `webhook`.
    public let kind = "webhook"
    private let url: String
    private let http: ChatHTTP

    /// Posts to `url` through `client` (shared, owned by the caller), each request given at most `timeout`.
    public init(url: String, client: HTTPClient, timeout: Duration = .seconds(10)) {
        self.url = url
        self.http = ChatHTTP(client: client, timeout: timeout)
    }

    /// Posts `alert`.
    public func post(_ alert: StaffAlert) async throws(StaffChatError) -> StaffChatOutcome {
        let answer = try await http.postJSON(url, body: Self.payload(alert), label: "webhook")
        let reason = String(decoding: answer.body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch answer.status {
        case 200..<300: return .delivered
        case 429, 500..<600: return .retry(after: RetryAfter.parse(answer.headers.first(name: "Retry-After")))
        default: return .refused(status: answer.status, reason: reason)
        }
    }

    /// The JSON body for `alert`. Slack and Mattermost read `&`, `<` and `>` as markup: they are escaped.
    static func payload(_ alert: StaffAlert) -> [UInt8] {
        var attachment: [String: Any] = [
            "fallback": "\(alert.marker) \(alert.title)", "color": alert.severity.colour, "title": escape(alert.title),
        ]
        if !alert.text.isEmpty { attachment["text"] = escape(alert.text) }
        if let link = alert.link { attachment["title_link"] = link }
        let object: [String: Any] = ["text": escape("\(alert.marker) \(alert.title)"), "attachments": [attachment]]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }

    /// `text` with Slack's three control characters escaped.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

extension StaffAlert {
    /// The severity's marker.
    var marker: String { severity.marker }
}

extension IncomingWebhookChannel: CustomStringConvertible, CustomReflectable {
    /// The webhook's host, never its URL.
    public var description: String { "IncomingWebhookChannel(host: \(URLComponents(string: url)?.host ?? "?"))" }
    /// No secret in `dump` either.
    public var customMirror: Mirror { Mirror(self, children: ["host": URLComponents(string: url)?.host ?? "?"]) }
}
