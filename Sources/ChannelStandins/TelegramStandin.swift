import Foundation
import Hummingbird
import Synchronization

/// Telegram's Bot API `sendMessage` as its documentation describes it, for tests and demos: the bot token in the path,
/// `chat_id` required and known, `parse_mode` HTML parsed (only Telegram's tags, entities escaped), the text 1 to 4096
/// characters after parsing, and `429` with `retry_after` when asked to. Answers are Telegram's
/// `{"ok": …, "result" | "error_code", "description", "parameters"}`.
public final class TelegramStandin: ChannelStandin {
    /// A message it accepted.
    public struct Message: Sendable, Hashable {
        /// The chat.
        public let chatID: String
        /// The text as the reader sees it (entities parsed).
        public let text: String
        /// The text as sent.
        public let sentText: String
        /// The parse mode asked for.
        public let parseMode: String?
        /// The bold spans' texts.
        public let bold: [String]
        /// `message_thread_id`, the forum topic, if given.
        public let threadID: String?
        /// Whether `disable_notification` was true.
        public let silent: Bool
    }

    private struct State {
        var messages: [Message] = []
        var rateLimited: [Int] = []
        var requests = 0
    }

    private let token: String
    private let chats: Set<String>
    private let state = Mutex(State())
    /// Telegram's limit, in UTF-16 units after entities are parsed.
    public static let maximumTextLength = 4096

    /// A bot with `token` that may post to `chats`.
    public init(token: String, chats: Set<String>) {
        self.token = token
        self.chats = chats
    }

    /// The messages accepted, oldest first.
    public var messages: [Message] { state.withLock { $0.messages } }
    /// How many `sendMessage` requests came, accepted or not.
    public var requestCount: Int { state.withLock { $0.requests } }
    /// Answers the next requests 429, each with one of these `retry_after` seconds.
    public func rateLimitNext(retryAfter: [Int]) { state.withLock { $0.rateLimited = retryAfter } }

    /// Adds `POST /bot<token>/sendMessage` (JSON or form).
    public func register(on router: Router<BasicRequestContext>) {
        router.post("bot{token}/sendMessage") { request, context in
            try await self.sendMessage(request, token: context.parameters.get("token") ?? "")
        }
        router.post("bot{token}/{method}") { _, _ in Self.failure(404, "Not Found") }
    }

    private func sendMessage(_ request: Request, token: String) async throws -> Response {
        let retryAfter: Int? = state.withLock { state in
            state.requests += 1
            return state.rateLimited.isEmpty ? nil : state.rateLimited.removeFirst()
        }
        guard token == self.token else { return Self.failure(401, "Unauthorized") }
        if let retryAfter {
            return Self.failure(429, "Too Many Requests: retry after \(retryAfter)", parameters: ["retry_after": retryAfter])
        }
        let body = try await StandinHTTP.body(request)
        var fields: [String: String] = [:]
        if request.headers[.contentType]?.hasPrefix("application/json") == true {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
                return Self.failure(400, "Bad Request: can't parse JSON object")
            }
            for (key, value) in object {
                if let text = value as? String {
                    fields[key] = text
                } else if let number = value as? NSNumber {
                    // JSON's true and false come as NSNumbers of type "c".
                    let isBool = String(cString: number.objCType) == "c"
                    fields[key] = isBool ? (number.boolValue ? "true" : "false") : number.stringValue
                }
            }
        } else {
            fields = StandinHTTP.form(String(decoding: body, as: UTF8.self))
        }
        guard let chatID = fields["chat_id"], !chatID.isEmpty else { return Self.failure(400, "Bad Request: chat_id is empty") }
        guard let sent = fields["text"], !sent.isEmpty else { return Self.failure(400, "Bad Request: message text is empty") }
        let parseMode = fields["parse_mode"]
        var visible = sent
        var bold: [String] = []
        if parseMode?.lowercased() == "html" {
            switch TelegramHTML.parse(sent) {
            case .success(let parsed):
                visible = parsed.text
                bold = parsed.bold
            case .failure(let error): return Self.failure(400, "Bad Request: can't parse entities: \(error.reason)")
            }
        }
        guard !visible.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return Self.failure(400, "Bad Request: message text is empty")
        }
        guard visible.utf16.count <= Self.maximumTextLength else { return Self.failure(400, "Bad Request: message is too long") }
        guard chats.contains(chatID) else { return Self.failure(400, "Bad Request: chat not found") }
        let id: Int = state.withLock { state in
            state.messages.append(
                Message(
                    chatID: chatID, text: visible, sentText: sent, parseMode: parseMode, bold: bold, threadID: fields["message_thread_id"],
                    silent: fields["disable_notification"] == "true"))
            return state.messages.count
        }
        let result: [String: Any] = [
            "message_id": id, "date": Int(Date().timeIntervalSince1970), "chat": ["id": Int(chatID) ?? 0, "type": "group"], "text": visible,
        ]
        return StandinHTTP.json(["ok": true, "result": result])
    }

    private static func failure(_ code: Int, _ description: String, parameters: [String: Any]? = nil) -> Response {
        var object: [String: Any] = ["ok": false, "error_code": code, "description": description]
        if let parameters { object["parameters"] = parameters }
        return StandinHTTP.json(object, status: HTTPResponse.Status(code: code))
    }
}

/// Telegram's HTML parse mode, as its Bot API documentation lists it: a few tags, and `<`, `>`, `&` only as markup or
/// as the entities `&lt;`, `&gt;`, `&amp;`, `&quot;` (or numeric ones).
enum TelegramHTML {
    struct Parsed {
        var text: String
        var bold: [String]
    }

    struct ParseError: Error {
        var reason: String
    }

    static let tags: Set<String> = [
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji", "code", "pre", "blockquote",
    ]
    static let entities: [String: String] = ["lt": "<", "gt": ">", "amp": "&", "quot": "\""]

    static func parse(_ html: String) -> Result<Parsed, ParseError> {
        var text = ""
        var bold: [String] = []
        var open: [(name: String, start: Int)] = []
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            if character == "<" {
                guard let close = html[index...].firstIndex(of: ">") else { return .failure(ParseError(reason: "unclosed start tag")) }
                let inside = html[html.index(after: index)..<close]
                if inside.hasPrefix("/") {
                    let name = inside.dropFirst().trimmingCharacters(in: .whitespaces).lowercased()
                    guard let last = open.popLast(), last.name == name else {
                        return .failure(ParseError(reason: "unmatched end tag \"\(name)\""))
                    }
                    if name == "b" || name == "strong" { bold.append(String(String.UnicodeScalarView(text.unicodeScalars.dropFirst(last.start)))) }
                } else {
                    let name = inside.prefix { !$0.isWhitespace }.lowercased()
                    guard tags.contains(name) else { return .failure(ParseError(reason: "unsupported start tag \"\(name)\"")) }
                    if name == "a", !inside.contains("href=") { return .failure(ParseError(reason: "a link without href")) }
                    open.append((name, text.unicodeScalars.count))
                }
                index = html.index(after: close)
            } else if character == "&" {
                guard let semicolon = html[index...].prefix(12).firstIndex(of: ";") else {
                    return .failure(ParseError(reason: "can't find end of the entity"))
                }
                let name = String(html[html.index(after: index)..<semicolon])
                if let value = entities[name] {
                    text += value
                } else if name.hasPrefix("#"), let scalar = numericEntity(name.dropFirst()) {
                    text.unicodeScalars.append(scalar)
                } else {
                    return .failure(ParseError(reason: "unsupported entity \"&\(name);\""))
                }
                index = html.index(after: semicolon)
            } else if character == ">" {
                return .failure(ParseError(reason: "unescaped \">\""))
            } else {
                text.append(character)
                index = html.index(after: index)
            }
        }
        if let unclosed = open.last { return .failure(ParseError(reason: "unclosed tag \"\(unclosed.name)\"")) }
        return .success(Parsed(text: text, bold: bold))
    }

    private static func numericEntity(_ digits: Substring) -> Unicode.Scalar? {
        let value = digits.lowercased().hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
        return value.flatMap(Unicode.Scalar.init)
    }
}
