import Foundation
import Hummingbird
import Synchronization

/// A Slack-shaped incoming webhook (which Mattermost's also is), as Slack's documentation describes it, for tests and
/// demos: a secret path, a JSON body (or a form with `payload`) with a non-empty `text` or attachments, answers `ok`,
/// or Slack's error words (`no_service`, `invalid_payload`, `no_text`, `too_many_attachments`) and 429 with
/// `Retry-After` when asked to.
public final class IncomingWebhookStandin: ChannelStandin {
    /// A message it accepted.
    public struct Post: Sendable, Hashable {
        /// Its `text`.
        public let text: String?
        /// Its attachments.
        public let attachments: [Attachment]
    }

    /// An attachment of a post.
    public struct Attachment: Sendable, Hashable {
        /// `title`.
        public let title: String?
        /// `text`.
        public let text: String?
        /// `color`.
        public let colour: String?
        /// `fallback`.
        public let fallback: String?
    }

    private struct State {
        var posts: [Post] = []
        var rateLimited: [Int] = []
    }

    private let secretPath: String
    private let state = Mutex(State())

    /// A webhook at `/services/<secretPath>` (Slack's own form is `T…/B…/<secret>`).
    public init(secretPath: String) { self.secretPath = secretPath }

    /// The path part of the webhook's URL.
    public var path: String { "/services/\(secretPath)" }
    /// The messages accepted, oldest first.
    public var posts: [Post] { state.withLock { $0.posts } }
    /// Answers the next requests 429, each with one of these `Retry-After` seconds.
    public func rateLimitNext(retryAfter: [Int]) { state.withLock { $0.rateLimited = retryAfter } }

    /// Adds `POST /services/**`.
    public func register(on router: Router<BasicRequestContext>) {
        router.post("services/**") { request, _ in try await self.receive(request) }
    }

    private func receive(_ request: Request) async throws -> Response {
        guard request.uri.path == path else { return StandinHTTP.text("no_service", status: .notFound) }
        if let retryAfter: Int = state.withLock({ $0.rateLimited.isEmpty ? nil : $0.rateLimited.removeFirst() }) {
            return StandinHTTP.text("rate_limited", status: .tooManyRequests, headers: [.retryAfter: String(retryAfter)])
        }
        var body = Data(try await StandinHTTP.body(request))
        if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            body = Data((StandinHTTP.form(String(decoding: body, as: UTF8.self))["payload"] ?? "").utf8)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return StandinHTTP.text("invalid_payload", status: .badRequest)
        }
        let text = object["text"] as? String
        let rawAttachments: [Any]
        switch object["attachments"] {
        case nil: rawAttachments = []
        case let list as [Any]: rawAttachments = list
        default: return StandinHTTP.text("invalid_attachments", status: .badRequest)
        }
        guard rawAttachments.count <= 100 else { return StandinHTTP.text("too_many_attachments", status: .badRequest) }
        var attachments: [Attachment] = []
        for raw in rawAttachments {
            guard let item = raw as? [String: Any] else { return StandinHTTP.text("invalid_attachments", status: .badRequest) }
            attachments.append(
                Attachment(
                    title: item["title"] as? String, text: item["text"] as? String, colour: item["color"] as? String,
                    fallback: item["fallback"] as? String))
        }
        let hasText = !(text ?? "").isEmpty || attachments.contains { !($0.text ?? $0.fallback ?? "").isEmpty }
        guard hasText else { return StandinHTTP.text("no_text", status: .badRequest) }
        state.withLock { $0.posts.append(Post(text: text, attachments: attachments)) }
        return StandinHTTP.text("ok", status: .ok)
    }
}
