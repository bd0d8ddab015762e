import Foundation
import Hummingbird
import Synchronization

/// SMS.ru's `/sms/send` and `/sms/status` as its documentation describes them, for tests and demos: it checks the
/// `api_id`, the numbers, the text and the sender name, charges a balance, answers in SMS.ru's JSON (or its plain-text
/// form without `json=1`) with its codes, and records every request. Messages it accepts are "delivered" at once.
public final class SMSRuStandin: ChannelStandin {
    /// A request it received.
    public struct Request: Sendable, Hashable {
        /// `send`, `status` or `balance`.
        public let method: String
        /// The HTTP method.
        public let httpMethod: String
        /// Every parameter but `api_id`.
        public let parameters: [String: String]
        /// Whether the `api_id` was the right one.
        public let authorized: Bool
    }

    /// A message it accepted.
    public struct Message: Sendable, Hashable {
        /// Its id.
        public let id: String
        /// The number, digits only.
        public let number: String
        /// The text.
        public let text: String
        /// The sender name, if one was asked for.
        public let sender: String?
        /// What it cost, in kopecks (nothing in test mode).
        public let costKopecks: Int
        /// Whether it came with `test=1`: answered as sent, not sent, not charged.
        public let test: Bool
    }

    private struct State {
        var balanceKopecks: Int
        var blocked: Set<String> = []
        var delay: Duration?
        var failures: [Int] = []
        var requests: [Request] = []
        var messages: [Message] = []
        var nextID = 1
    }

    private let apiID: String
    private let approvedSenders: Set<String>
    private let kopecksPerSegment: Int
    private let state: Mutex<State>

    /// A stand-in for the account `apiID` with `balanceKopecks` on it, charging `kopecksPerSegment` per segment and
    /// number, taking the sender names in `approvedSenders` (and none given).
    public init(apiID: String, balanceKopecks: Int = 100_000, kopecksPerSegment: Int = 50, approvedSenders: Set<String> = []) {
        self.apiID = apiID
        self.approvedSenders = approvedSenders
        self.kopecksPerSegment = kopecksPerSegment
        self.state = Mutex(State(balanceKopecks: balanceKopecks))
    }

    /// The requests received, oldest first.
    public var requests: [Request] { state.withLock { $0.requests } }
    /// The messages accepted, oldest first.
    public var messages: [Message] { state.withLock { $0.messages } }
    /// The balance left, in kopecks.
    public var balanceKopecks: Int { state.withLock { $0.balanceKopecks } }

    /// Sets the balance.
    public func setBalance(kopecks: Int) { state.withLock { $0.balanceKopecks = kopecks } }
    /// Makes `digits` a number messages cannot go to (code 207).
    public func block(_ digits: String) { state.withLock { _ = $0.blocked.insert(digits) } }
    /// Holds every answer back for `delay` (nil: answers at once), as an overloaded gateway does.
    public func delayAnswers(by delay: Duration?) { state.withLock { $0.delay = delay } }
    /// Answers the next requests with these HTTP statuses, one each, before answering normally again.
    public func failNext(withHTTPStatuses statuses: [Int]) { state.withLock { $0.failures = statuses } }

    /// Adds `/sms/send`, `/sms/status` and `/my/balance`, for GET and POST.
    public func register(on router: Router<BasicRequestContext>) {
        for (path, method) in [("/sms/send", "send"), ("/sms/status", "status"), ("/my/balance", "balance")] {
            router.get(RouterPath(stringLiteral: path)) { request, _ in try await self.answer(method, request) }
            router.post(RouterPath(stringLiteral: path)) { request, _ in try await self.answer(method, request) }
        }
    }

    private func answer(_ method: String, _ request: Hummingbird.Request) async throws -> Response {
        var parameters = StandinHTTP.form(request.uri.query ?? "")
        if request.method == .post {
            let body = try await StandinHTTP.body(request)
            parameters.merge(StandinHTTP.form(String(decoding: body, as: UTF8.self))) { _, body in body }
        }
        let authorized = parameters["api_id"] == apiID
        var recorded = parameters
        recorded["api_id"] = nil
        let (delay, failure) = state.withLock { state in
            state.requests.append(Request(method: method, httpMethod: request.method.rawValue, parameters: recorded, authorized: authorized))
            return (state.delay, state.failures.isEmpty ? nil : state.failures.removeFirst())
        }
        if let delay { try await Task.sleep(for: delay) }
        if let failure { return StandinHTTP.text("error", status: HTTPResponse.Status(code: failure)) }
        let json = parameters["json"] == "1"
        guard authorized else { return top(code: 200, text: "Неправильный api_id", json: json) }
        switch method {
        case "send": return send(parameters, json: json)
        case "status": return status(parameters, json: json)
        default:
            let balance = Double(state.withLock { $0.balanceKopecks }) / 100
            return json
                ? StandinHTTP.json(["status": "OK", "status_code": 100, "balance": balance]) : StandinHTTP.text("100\n\(balance)", status: .ok)
        }
    }

    private func send(_ parameters: [String: String], json: Bool) -> Response {
        let text = parameters["msg"] ?? ""
        guard !text.isEmpty else { return top(code: 203, text: "Нет текста сообщения", json: json) }
        let sender = parameters["from"].flatMap { $0.isEmpty ? nil : $0 }
        if let sender, !approvedSenders.contains(sender) {
            return top(code: 204, text: "Имя отправителя не согласовано с администрацией", json: json)
        }
        let numbers = (parameters["to"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !numbers.isEmpty else { return top(code: 202, text: "Неправильно указан номер телефона получателя", json: json) }
        guard numbers.count <= 100 else {
            return top(code: 207, text: "Указано более 100 номеров в списке получателей", json: json)
        }
        let test = parameters["test"] == "1"
        let cost = test ? 0 : Self.segments(text) * kopecksPerSegment
        return state.withLock { state in
            var answers: [String: Any] = [:]
            var lines: [String] = []
            for number in numbers {
                let entry: [String: Any]
                if !(11...15).contains(number.count) || !number.allSatisfy(\.isASCIIDigit) {
                    entry = Self.error(202, "Неправильно указан номер телефона получателя, либо на него нет маршрута")
                } else if state.blocked.contains(number) {
                    entry = Self.error(207, "На этот номер нельзя отправлять сообщения")
                } else if state.balanceKopecks < cost {
                    entry = Self.error(201, "Не хватает средств на лицевом счету")
                } else {
                    let id = String(format: "%06d-%06d", 202612, state.nextID)
                    state.nextID += 1
                    state.balanceKopecks -= cost
                    state.messages.append(Message(id: id, number: number, text: text, sender: sender, costKopecks: cost, test: test))
                    entry = ["status": "OK", "status_code": 100, "sms_id": id]
                }
                answers[number] = entry
                lines.append((entry["sms_id"] as? String) ?? String(entry["status_code"] as? Int ?? 0))
            }
            let balance = Double(state.balanceKopecks) / 100
            if json {
                return StandinHTTP.json(["status": "OK", "status_code": 100, "sms": answers, "balance": balance])
            }
            return StandinHTTP.text((["100"] + lines + ["balance=\(balance)"]).joined(separator: "\n"), status: .ok)
        }
    }

    private func status(_ parameters: [String: String], json: Bool) -> Response {
        let ids = (parameters["sms_id"] ?? "").split(separator: ",").map(String.init)
        guard !ids.isEmpty else { return top(code: -1, text: "Сообщение не найдено", json: json) }
        let messages = state.withLock { $0.messages }
        var answers: [String: Any] = [:]
        for id in ids {
            if let message = messages.first(where: { $0.id == id }) {
                answers[id] = ["status": "OK", "status_code": 103, "status_text": "Сообщение доставлено", "cost": Double(message.costKopecks) / 100]
            } else {
                answers[id] = Self.error(-1, "Сообщение не найдено")
            }
        }
        guard json else {
            return StandinHTTP.text(
                (["100"] + ids.map { String((answers[$0] as? [String: Any])?["status_code"] as? Int ?? -1) }).joined(separator: "\n"), status: .ok)
        }
        return StandinHTTP.json(["status": "OK", "status_code": 100, "sms": answers])
    }

    private func top(code: Int, text: String, json: Bool) -> Response {
        json ? StandinHTTP.json(["status": "ERROR", "status_code": code, "status_text": text]) : StandinHTTP.text(String(code), status: .ok)
    }

    private static func error(_ code: Int, _ text: String) -> [String: Any] {
        ["status": "ERROR", "status_code": code, "status_text": text]
    }

    /// Segments the way SMS.ru bills them, roughly: ASCII as 7-bit (160, then 153 a part), anything else as UCS-2
    /// (70, then 67).
    static func segments(_ text: String) -> Int {
        let ascii = text.unicodeScalars.allSatisfy { $0.isASCII }
        let length = ascii ? text.unicodeScalars.count : text.utf16.count
        let (single, part) = ascii ? (160, 153) : (70, 67)
        return length <= single ? 1 : (length + part - 1) / part
    }
}

extension Character {
    /// 0 to 9.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
