import AcquirerStandins
import Acquiring
import AsyncHTTPClient
import Foundation
import Hummingbird
import Kernel
import NIOCore
import NIOHTTP1

/// A T-Bank stand-in served in-process, a notification sink it posts to, and the adapter pointed at both.
struct TBankFixture {
    static let terminalKey = "1700000000001DEMO"
    static let password = "tbank-test-password"
    /// A client as billing configures one for providers: no redirects, connections not retried.
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: ProviderHTTPClient.configuration())

    let server: StandinServer
    let sink: StandinServer
    let standin: TBankStandin
    let notifications: NotificationSink
    let provider: TBankProvider

    /// Starts the stand-in and the sink; the adapter gives up on a request after `timeout`.
    static func start(timeout: Duration = .seconds(10)) async throws -> TBankFixture {
        let sink = try await StandinServer.start { _ in
            NotificationSink(options: StandinOptions(account: "", secret: "", publicBaseURL: "", notificationURL: nil))
        }
        let notify = "\(sink.baseURL)/notifications"
        let server = try await StandinServer.start { baseURL in
            TBankStandin(options: StandinOptions(account: terminalKey, secret: password, publicBaseURL: baseURL, notificationURL: notify))
        }
        return TBankFixture(
            server: server, sink: sink, standin: server.standin as! TBankStandin, notifications: sink.standin as! NotificationSink,
            provider: provider(baseURL: "\(server.baseURL)/v2", timeout: timeout))
    }

    /// The adapter against `baseURL`.
    static func provider(baseURL: String, password: String = password, timeout: Duration = .seconds(10)) -> TBankProvider {
        TBankProvider(
            configuration: TBankConfiguration(terminalKey: terminalKey, password: password, baseURL: baseURL, requestTimeout: timeout),
            client: client)
    }

    /// Stops both servers.
    func stop() async {
        await server.stop()
        await sink.stop()
    }

    /// Sets the stand-in's behaviour.
    func behave(_ change: (inout StandinBehaviour) -> Void) async {
        var behaviour = StandinBehaviour()
        change(&behaviour)
        await standin.control.set(behaviour)
    }

    /// A receipt of one service line worth `kopecks`.
    static func receipt(_ kopecks: Int64) -> FiscalReceipt {
        FiscalReceipt(
            customer: FiscalCustomer(email: "ivanov@example.ru", phone: nil),
            items: [
                FiscalItem(
                    description: "Интернет «Домашний 500»", quantity: 1, price: .rub(kopecks), vat: .vat22, subject: .service, mode: .fullPayment)
            ],
            taxSystem: .general)
    }

    /// A request to pay `kopecks` by card on the page.
    static func request(
        _ paymentID: String = UUID().uuidString.lowercased(), kopecks: Int64 = 500_00, source: ProviderPaymentSource = .method(.card),
        save: Bool = false, receipt: FiscalReceipt? = nil
    ) -> ProviderPaymentRequest {
        ProviderPaymentRequest(
            paymentID: String(paymentID.prefix(36)), idempotencyKey: "key-\(paymentID)", customerID: "customer-42", amount: .rub(kopecks),
            description: "Пополнение баланса", returnURL: "https://lk.example.ru/payments", source: source, saveMethod: save,
            receipt: receipt ?? Self.receipt(kopecks))
    }

    /// The reference to `payment` made for `request`.
    static func reference(_ request: ProviderPaymentRequest, _ payment: ProviderPayment?) -> ProviderPaymentReference {
        ProviderPaymentReference(
            paymentID: request.paymentID, providerPaymentID: payment?.providerPaymentID, idempotencyKey: request.idempotencyKey, createdAt: Date())
    }

    /// Presses a button on the payment page, as the customer would.
    func press(_ action: String, on pageURL: String) async throws -> Int {
        var request = HTTPClientRequest(url: pageURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "action=\(action)"))
        let response = try await Self.client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    /// Creates a card payment and pays it on the page.
    func paid(_ request: ProviderPaymentRequest) async throws -> ProviderPayment {
        let payment = try await provider.createPayment(request)
        guard case .redirect(let url) = payment.confirmation else { throw TBankFixtureError.noPage }
        _ = try await press("pay", on: url)
        return payment
    }
}

/// A fixture's own failure.
enum TBankFixtureError: Error {
    case noPage
}

extension NotificationSink {
    /// The notifications received about T-Bank payment `id`.
    func about(_ id: String) async -> [ProviderNotification] {
        await received.bodies.filter { body in
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            return (object?["PaymentId"] as? NSNumber)?.stringValue == id
        }.map { ProviderNotification(body: $0, headers: ["content-type": "application/json"]) }
    }
}
