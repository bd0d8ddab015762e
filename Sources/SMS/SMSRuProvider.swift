import AsyncHTTPClient
import ClientHTTP
import ClientSupport
import Foundation
import NIOCore
import NIOHTTP1

/// SMS.ru's HTTP API: `/sms/send` (one text to up to 100 numbers, answered per number) and `/sms/status`, called with
/// POST forms and `json=1` so that the `api_id` never sits in a URL.
public struct SMSRuProvider: SMSProvider {
    /// `sms.ru`.
    public let name = "sms.ru"
    private let apiID: String
    private let defaultSender: String?
    private let baseURL: String
    private let client: HTTPClient
    private let timeout: TimeAmount
    private let testMode: Bool
    /// The most numbers one request takes.
    public static let maximumRecipients = 100
    /// The most of an answer read.
    static let maximumAnswerBytes = 1 << 20

    /// A provider with the account's `apiID` (a secret), sending as `sender` unless a message names its own, to
    /// `baseURL` (SMS.ru's own unless a stand-in's), through `client` (shared, owned by the caller), each request given
    /// at most `timeout`. In `testMode` SMS.ru answers as if it sent, and sends nothing and charges nothing (`test=1`).
    public init(
        apiID: String, sender: String? = nil, baseURL: String = "https://sms.ru", client: HTTPClient, timeout: Duration = .seconds(15),
        testMode: Bool = false
    ) {
        self.testMode = testMode
        self.apiID = apiID
        self.defaultSender = sender
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.client = client
        let components = timeout.components
        self.timeout = .nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)
    }

    /// A client configuration fit for SMS.ru: no redirects, a 3-second connect deadline, a refused connection
    /// reported at once rather than retried until that deadline.
    public static func clientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(3)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// Sends `message` with one request.
    public func send(_ message: SMSMessage) async throws(SMSError) -> [SMSRecipientOutcome] {
        guard !message.recipients.isEmpty else { throw .invalidMessage("it has no recipients") }
        guard message.recipients.count <= Self.maximumRecipients else {
            throw .invalidMessage("it has \(message.recipients.count) recipients; SMS.ru takes at most \(Self.maximumRecipients)")
        }
        guard !message.text.isEmpty else { throw .invalidMessage("its text is empty") }
        var form = [("api_id", apiID), ("to", message.recipients.map(\.digits).joined(separator: ",")), ("msg", message.text), ("json", "1")]
        if let sender = message.sender ?? defaultSender { form.append(("from", sender)) }
        if testMode { form.append(("test", "1")) }
        let answer = try await post("/sms/send", form: form)
        if let everyone = answer.everyone {
            return message.recipients.map { SMSRecipientOutcome(number: $0, outcome: everyone) }
        }
        guard let answers = answer.json?["sms"] as? [String: Any] else {
            throw .outcomeUnknown("the answer to /sms/send has no per-number part")
        }
        return message.recipients.map { number in
            guard let entry = answers[number.digits] as? [String: Any] else {
                return SMSRecipientOutcome(number: number, outcome: .refused(code: "no-answer", reason: "the answer did not mention this number"))
            }
            let code = SMSRuCodes.code(entry["status_code"])
            let text = entry["status_text"] as? String ?? ""
            if entry["status"] as? String == "OK", code == 100, let id = entry["sms_id"] as? String {
                let segments = (entry["sms"] as? NSNumber)?.intValue
                return SMSRecipientOutcome(
                    number: number, outcome: .accepted(messageID: id, costKopecks: SMSRuCodes.kopecks(entry["cost"]), segments: segments))
            }
            return SMSRecipientOutcome(number: number, outcome: SMSRuCodes.failure(code: code, text: text))
        }
    }

    /// Asks `/sms/status` for one message.
    public func status(ofMessage id: String) async throws(SMSError) -> SMSDeliveryStatus? {
        let answer = try await post("/sms/status", form: [("api_id", apiID), ("sms_id", id), ("json", "1")])
        if answer.everyone != nil { throw .outcomeUnknown("/sms/status was refused: \(answer.topText)") }
        guard let entry = (answer.json?["sms"] as? [String: Any])?[id] as? [String: Any] else {
            throw .outcomeUnknown("the answer to /sms/status does not mention the message")
        }
        return SMSRuCodes.deliveryStatus(
            code: SMSRuCodes.code(entry["status_code"]), text: entry["status_text"] as? String ?? "", cost: entry["cost"])
    }

    /// The account's balance in kopecks (`/my/balance`), for an alert before it runs out.
    public func balanceKopecks() async throws(SMSError) -> Int {
        let answer = try await post("/my/balance", form: [("api_id", apiID), ("json", "1")])
        if answer.everyone != nil { throw .outcomeUnknown("/my/balance was refused: \(answer.topText)") }
        guard let kopecks = SMSRuCodes.kopecks(answer.json?["balance"]) else { throw .outcomeUnknown("the answer to /my/balance has no balance") }
        return kopecks
    }

    /// An answer: its JSON, or the outcome for every number when the request as a whole failed.
    private struct Answer {
        var json: [String: Any]?
        var everyone: SMSOutcome?
        var topText: String
    }

    private func post(_ path: String, form: [(String, String)]) async throws(SMSError) -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        let status: Int
        let headers: HTTPHeaders
        let body: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: timeout)
            status = Int(response.status.code)
            headers = response.headers
            body = try await response.body.collect(upTo: Self.maximumAnswerBytes)
        } catch {
            if HTTPFailure.neverSent(error) { throw .unreachable("POST \(baseURL)\(path): \(error)") }
            throw .outcomeUnknown("POST \(baseURL)\(path): \(error)")
        }
        if status == 429 || (500..<600).contains(status) {
            let after = RetryAfter.parse(headers.first(name: "Retry-After"))
            return Answer(everyone: .retryLater(code: "http-\(status)", reason: "HTTP \(status)", after: after), topText: "HTTP \(status)")
        }
        guard status == 200 else {
            return Answer(everyone: .refused(code: "http-\(status)", reason: "HTTP \(status)"), topText: "HTTP \(status)")
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            throw .outcomeUnknown("the answer to \(path) is not JSON")
        }
        let code = SMSRuCodes.code(json["status_code"])
        let text = json["status_text"] as? String ?? ""
        if json["status"] as? String != "OK" {
            return Answer(json: json, everyone: SMSRuCodes.failure(code: code, text: text), topText: "\(code) \(text)")
        }
        return Answer(json: json, topText: "\(code) \(text)")
    }
}

/// `application/x-www-form-urlencoded`.
enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `pairs` as a form body.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}

extension SMSRuProvider: CustomStringConvertible, CustomReflectable {
    /// The gateway, never the `api_id`.
    public var description: String { "SMSRuProvider(\(baseURL))" }
    /// No secret in `dump` either.
    public var customMirror: Mirror { Mirror(self, children: ["baseURL": baseURL]) }
}
