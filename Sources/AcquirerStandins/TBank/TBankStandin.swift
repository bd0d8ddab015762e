import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1

/// A stand-in for T-Bank internet acquiring (API v2), written from T-Bank's public documentation: `Init`, `GetState`,
/// `CheckOrder`, `Cancel`, `Charge` and `GetQr` under `/v2/`, each checking the terminal and the request's `Token`;
/// receipts checked as the register does; a payment page at `/new/{PaymentId}` that pays or declines and posts the
/// signed notification; saved cards (`Recurrent: Y` gives a `RebillId`) charged at once by `Charge`.
public struct TBankStandin: AcquirerStandin {
    /// `tbank`.
    public static let providerName = "tbank"
    /// Behaviour switches.
    public let control = StandinControl()
    let options: StandinOptions
    let ledger: TBankStandinLedger

    /// Creates the stand-in: `options.account` is the terminal key, `options.secret` its password.
    public init(options: StandinOptions) {
        self.options = options
        self.ledger = TBankStandinLedger(terminalKey: options.account)
    }

    /// Makes every later `Charge` of the saved card `rebillID` declined (as `POST /standin/tbank/rebills/{id}/decline`
    /// does); `false` when no such card was saved.
    @discardableResult
    public func declineCharges(rebillID: String) async -> Bool {
        await ledger.decline(rebillID: rebillID)
    }

    /// The payment page of T-Bank's payment `paymentID` (for an SBP payment, where the bank app would pay).
    public func paymentPageURL(paymentID: String) -> String {
        "\(options.publicBaseURL)/new/\(paymentID)"
    }

    /// Adds T-Bank's API, the payment page and the stand-in's control route.
    public func register(on router: Router<BasicRequestContext>) {
        let ledger = ledger
        let base = options.publicBaseURL
        api(router, "Init") { fields in
            do throws(TBankStandinInit.Refusal) {
                let request = try TBankStandinInit(fields)
                return await ledger.create(request, pageBase: base)
            } catch {
                return await ledger.failure(error.code, error.message, details: error.details)
            }
        }
        api(router, "GetState") { fields in
            guard let id = Self.identifier(fields["PaymentId"]) else { return await ledger.failure("201", "Поле PaymentId не должно быть пустым") }
            return await ledger.state(id)
        }
        api(router, "CheckOrder") { fields in
            guard let order = fields["OrderId"]?.string, !order.isEmpty else {
                return await ledger.failure("201", "Поле OrderId не должно быть пустым")
            }
            return await ledger.order(order)
        }
        api(router, "Cancel") { fields in
            guard let id = Self.identifier(fields["PaymentId"]) else { return await ledger.failure("201", "Поле PaymentId не должно быть пустым") }
            var receiptTotal: Int64?
            if let receipt = fields["Receipt"]?.object {
                do throws(TBankStandinInit.Refusal) {
                    receiptTotal = try TBankStandinInit.checkReceipt(receipt)
                } catch {
                    return await ledger.failure(error.code, error.message, details: error.details)
                }
            }
            if fields["Amount"] != nil && fields["Amount"]?.integer == nil { return await ledger.failure("251", "Неверная сумма") }
            let outcome = await ledger.cancel(
                id, amount: fields["Amount"]?.integer, externalID: fields["ExternalRequestId"]?.string, receiptTotal: receiptTotal)
            if let payment = outcome.notify { await deliver(payment) }
            return outcome.answer
        }
        api(router, "Charge") { fields in
            guard let id = Self.identifier(fields["PaymentId"]), let rebill = Self.identifier(fields["RebillId"]) else {
                return await ledger.failure("201", "Поля PaymentId и RebillId не должны быть пустыми")
            }
            let outcome = await ledger.charge(id, rebillID: rebill)
            if let payment = outcome.notify { await deliver(payment) }
            return outcome.answer
        }
        api(router, "GetQr") { fields in
            guard let id = Self.identifier(fields["PaymentId"]) else { return await ledger.failure("201", "Поле PaymentId не должно быть пустым") }
            return await ledger.qr(id, image: fields["DataType"]?.string == "IMAGE")
        }
        registerPage(on: router)
        router.post("/standin/tbank/rebills/:rebill/decline") { _, context -> HTTPResponse.Status in
            let rebill = try context.parameters.require("rebill")
            return await ledger.decline(rebillID: rebill) ? .noContent : .notFound
        }
    }

    /// A `PaymentId` or `RebillId`, which clients send as a string or a number.
    static func identifier(_ value: TBankStandinJSON?) -> String? {
        switch value {
        case .string(let text) where !text.isEmpty: text
        case .integer(let number): String(number)
        default: nil
        }
    }

    /// One API method: the behaviour switches around it, the terminal and `Token` checked before its work.
    private func api(
        _ router: Router<BasicRequestContext>, _ method: String,
        _ work: @escaping @Sendable ([String: TBankStandinJSON]) async -> [String: TBankStandinJSON]
    ) {
        let control = control
        let ledger = ledger
        let options = options
        router.post("/v2/\(method)") { request, _ -> Response in
            try await control.beforeWork(method)
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let answer: [String: TBankStandinJSON]
            if let fields = try? JSONDecoder().decode([String: TBankStandinJSON].self, from: Data(buffer.readableBytesView)) {
                if fields["TerminalKey"]?.string != options.account {
                    answer = await ledger.failure(
                        "205", "Неверный токен. Проверьте пару TerminalKey/SecretKey", details: "Указанный терминал не найден")
                } else if fields["Token"]?.string != TBankStandinSignature.token(of: fields, password: options.secret) {
                    answer = await ledger.failure("204", "Неверный токен. Проверьте пару TerminalKey/SecretKey")
                } else {
                    answer = await work(fields)
                }
            } else {
                answer = await ledger.failure("1", "Параметры не сопоставлены", details: "Тело запроса должно быть JSON-объектом")
            }
            try await control.afterWork()
            return try Self.json(answer)
        }
    }

    /// A JSON answer with status 200, as T-Bank answers refusals too.
    static func json(_ answer: [String: TBankStandinJSON]) throws -> Response {
        let data = try JSONEncoder().encode(answer)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Posts the signed notification about `payment` to its `NotificationURL` (or the stand-in's), once or twice.
    func deliver(_ payment: TBankStandinPayment) async {
        guard let url = payment.notificationURL ?? options.notificationURL else { return }
        var body = await ledger.notification(payment)
        body["Token"] = .string(TBankStandinSignature.token(of: body, password: options.secret))
        guard let data = try? JSONEncoder().encode(body) else { return }
        for _ in 0..<(await control.deliveries) {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(10)) {
                _ = try? await response.body.collect(upTo: 1 << 16)
            }
        }
    }
}
