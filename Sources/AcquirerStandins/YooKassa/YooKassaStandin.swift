import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1

/// YooKassa's API v3 in memory, from its public documentation: HTTP Basic with the shop id and secret key,
/// `Idempotence-Key` on every `POST` (the same key and request answer the first answer; another request under a used
/// key is refused), payments confirmed on a hosted page (`redirect`) or by an SBP `qr`, one- and two-stage payments,
/// saved methods charged by `payment_method_id`, cancel and capture, refunds, receipts checked (a contact, VAT codes,
/// items adding up), lists with `created_at` filters and cursors, error objects, and notifications posted to
/// ``StandinOptions/notificationURL`` in YooKassa's format (`{"type": "notification", "event": …, "object": …}`).
///
/// Beside the API: `GET|POST /yookassa/checkout/{id}` is the bank's page (`action=pay|decline`),
/// `POST /standin/yookassa/saved-methods/{token}/decline` (JSON `{"declined": true|false}`, or no body for `true`)
/// makes a saved method's next charges declined, `POST /standin/yookassa/payments/{id}/expire` lets a pending
/// payment expire unconfirmed, and `POST /standin/yookassa/inbox` keeps what is posted to it, so
/// tests can point notifications at the stand-in itself and read them with ``receivedNotifications()``.
public struct YooKassaStandin: AcquirerStandin {
    /// `yookassa`.
    public static var providerName: String { "yookassa" }

    /// Behaviour switches.
    public let control = StandinControl()
    private let options: StandinOptions
    let ledger: YooKassaStandinLedger

    /// Creates the stand-in for the shop `options.account` with secret key `options.secret`.
    public init(options: StandinOptions) {
        self.options = options
        self.ledger = YooKassaStandinLedger(account: options.account, publicBaseURL: options.publicBaseURL)
    }

    /// The API's base URL to give clients: `<public base URL>/v3`.
    public var apiBaseURL: String { options.publicBaseURL + "/v3" }

    /// Where notifications go when the stand-in is told to deliver them to itself.
    public static let inboxPath = "/standin/yookassa/inbox"

    /// Makes the saved method `token`'s next charges declined (`true`) or accepted again; `false` when no such method
    /// is saved.
    @discardableResult public func declineSavedMethod(_ token: String, _ declined: Bool = true) async -> Bool {
        await ledger.setDeclining(token, declined)
    }

    /// Lets a pending payment expire unconfirmed, as YooKassa does when the customer never pays (it becomes
    /// `canceled` with `expired_on_confirmation`, and its notification is delivered); `false` when there is no such
    /// payment.
    @discardableResult public func expirePayment(_ id: String) async -> Bool {
        guard let expired = await ledger.expire(id) else { return false }
        await deliver(expired.notifications)
        return true
    }

    /// The notification bodies posted to ``inboxPath``, in the order they came.
    public func receivedNotifications() async -> [[UInt8]] {
        await ledger.inbox
    }

    /// Adds the API under `/v3`, the payment page and the control routes.
    public func register(on router: Router<BasicRequestContext>) {
        router.post("/v3/payments") { request, context in
            try await api(request, context, route: "payments.create", idempotent: true) { body, key in
                await ledger.createPayment(key: key, body: body)
            }
        }
        router.get("/v3/payments") { request, context in
            try await api(request, context, route: "payments.list", idempotent: false) { _, _ in
                do {
                    return await ledger.listPayments(try YooKassaListFilter(Self.query(request)))
                } catch {
                    return YooKassaStandinLedger.failure(error)
                }
            }
        }
        router.get("/v3/payments/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await api(request, context, route: "payments.get", idempotent: false) { _, _ in await ledger.payment(id) }
        }
        router.post("/v3/payments/:id/cancel") { request, context in
            let id = try context.parameters.require("id")
            return try await api(request, context, route: "payments.cancel", idempotent: true) { body, key in
                await ledger.cancelPayment(id, key: key, body: body)
            }
        }
        router.post("/v3/payments/:id/capture") { request, context in
            let id = try context.parameters.require("id")
            return try await api(request, context, route: "payments.capture", idempotent: true) { body, key in
                await ledger.capturePayment(id, key: key, body: body)
            }
        }
        router.post("/v3/refunds") { request, context in
            try await api(request, context, route: "refunds.create", idempotent: true) { body, key in
                await ledger.createRefund(key: key, body: body)
            }
        }
        router.get("/v3/refunds") { request, context in
            try await api(request, context, route: "refunds.list", idempotent: false) { _, _ in
                do {
                    return await ledger.listRefunds(try YooKassaListFilter(Self.query(request)))
                } catch {
                    return YooKassaStandinLedger.failure(error)
                }
            }
        }
        router.get("/v3/refunds/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await api(request, context, route: "refunds.get", idempotent: false) { _, _ in await ledger.refund(id) }
        }
        registerPage(on: router)
        registerControls(on: router)
    }

    /// One API call: the behaviour's latency or hang, authentication, the idempotence key, the work, the behaviour's
    /// failure after work, and the answer, after the notifications the work caused.
    private func api(
        _ request: Request, _ context: BasicRequestContext, route: String, idempotent: Bool,
        _ work: @Sendable ([UInt8], String) async -> YooKassaStandinLedger.Answer
    ) async throws -> Response {
        try await control.beforeWork(route)
        guard authenticated(request) else {
            return Self.json(
                YooKassaStandinLedger.failure(
                    YooKassaChecks.Refusal(
                        status: 401, code: "invalid_credentials", description: "Authentication by the given shop id and secret key failed",
                        parameter: "Authorization")))
        }
        var key = ""
        if idempotent {
            key = request.headers[.init("Idempotence-Key")!] ?? ""
            guard (1...64).contains(key.count) else {
                return Self.json(
                    YooKassaStandinLedger.failure(
                        YooKassaChecks.Refusal(
                            description: "The Idempotence-Key header of 1 to 64 characters is required", parameter: "Idempotence-Key")))
            }
        }
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let answer = await work(Array(buffer.readableBytesView), key)
        // Delivered before the answer, so a client that has the answer can count on the notification being sent.
        await deliver(answer.notifications)
        try await control.afterWork()
        return Self.json(answer)
    }

    private func authenticated(_ request: Request) -> Bool {
        guard let header = request.headers[.authorization], header.hasPrefix("Basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6))), let credentials = String(data: data, encoding: .utf8)
        else { return false }
        return credentials == "\(options.account):\(options.secret)"
    }

    /// Posts each notification to the notification URL, twice when told; a receiver that fails is not retried.
    func deliver(_ notifications: [[UInt8]]) async {
        guard let url = options.notificationURL else { return }
        let times = await control.deliveries
        for body in notifications {
            for _ in 0..<times {
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body))
                if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(10)) {
                    _ = try? await response.body.collect(upTo: 1 << 16)
                }
            }
        }
    }

    static func query(_ request: Request) -> [(String, String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    static func json(_ answer: YooKassaStandinLedger.Answer) -> Response {
        Response(
            status: .init(code: answer.status), headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
