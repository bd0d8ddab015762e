import AsyncHTTPClient
import ClientSupport
import Foundation
import NIOHTTP1

/// Telegram's Bot API `sendMessage` to one chat, formatted with `parse_mode` HTML. The bot token is a secret: it is
/// part of the URL, and never written to logs or errors.
public struct TelegramBotChannel: StaffChatChannel {
    /// `telegram`.
    public let kind = "telegram"
    private let token: String
    private let chatID: String
    private let threadID: Int?
    private let baseURL: String
    private let http: ChatHTTP
    /// The longest message text Telegram takes, counted after its entities are parsed (what the reader sees).
    public static let maximumTextLength = 4096

    /// Posts as the bot with `token` to `chatID` (a number, or `@channelname`), in the forum topic `threadID` if given,
    /// at `baseURL` (Telegram's own unless a stand-in's), through `client` (shared, owned by the caller), each request
    /// given at most `timeout`.
    public init(
        token: String, chatID: String, threadID: Int? = nil, baseURL: String = "https://api.telegram.org", client: HTTPClient,
        timeout: Duration = .seconds(10)
    ) {
        self.token = token
        self.chatID = chatID
        self.threadID = threadID
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = ChatHTTP(client: client, timeout: timeout)
    }

    /// Posts `alert`.
    public func post(_ alert: StaffAlert) async throws(StaffChatError) -> StaffChatOutcome {
        var object: [String: Any] = [
            "chat_id": chatID, "text": Self.html(alert), "parse_mode": "HTML", "link_preview_options": ["is_disabled": true],
            "disable_notification": !alert.severity.rings,
        ]
        if let threadID { object["message_thread_id"] = threadID }
        let body = Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
        let answer = try await http.postJSON("\(baseURL)/bot\(token)/sendMessage", body: body, label: "telegram sendMessage")
        let json = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any]
        if (200..<300).contains(answer.status), json?["ok"] as? Bool == true { return .delivered }
        let code = (json?["error_code"] as? NSNumber)?.intValue ?? answer.status
        let description = json?["description"] as? String ?? "HTTP \(answer.status)"
        let retryAfter = ((json?["parameters"] as? [String: Any])?["retry_after"] as? NSNumber)?.intValue
        if code == 429 || (500..<600).contains(code) || retryAfter != nil {
            return .retry(after: retryAfter.map { .seconds($0) } ?? RetryAfter.parse(answer.headers.first(name: "Retry-After")))
        }
        return .refused(status: code, reason: description)
    }

    /// `alert` as Telegram HTML: the marker and bold title, the text, the link; the visible text cut to
    /// ``maximumTextLength`` before it is escaped, so that no entity is cut in half.
    static func html(_ alert: StaffAlert) -> String {
        var parts: [(String, Bool)] = [("\(alert.severity.marker) ", false), (alert.title, true)]
        if !alert.text.isEmpty { parts.append(("\n\n" + alert.text, false)) }
        if let link = alert.link { parts.append(("\n" + link, false)) }
        var budget = maximumTextLength
        var html = ""
        for (text, bold) in parts {
            guard budget > 0 else { break }
            var visible = text
            if visible.utf16.count > budget {
                visible = truncated(visible, to: budget - 1) + "…"
            }
            budget -= visible.utf16.count
            html += bold ? "<b>\(escape(visible))</b>" : escape(visible)
        }
        return html
    }

    /// The longest prefix of `text` at most `units` UTF-16 units long, whole characters only.
    static func truncated(_ text: String, to units: Int) -> String {
        var result = ""
        var used = 0
        for character in text {
            let length = character.utf16.count
            if used + length > units { break }
            result.append(character)
            used += length
        }
        return result
    }

    /// `text` with the characters Telegram's HTML reads as markup escaped.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension TelegramBotChannel: CustomStringConvertible, CustomReflectable {
    /// The chat, never the token.
    public var description: String { "TelegramBotChannel(chat: \(chatID))" }
    /// No secret in `dump` either.
    public var customMirror: Mirror { Mirror(self, children: ["chat": chatID]) }
}
