import AcquirerStandins
import Acquiring
import AsyncHTTPClient
import Foundation
import Kernel
import NIOCore
import NIOHTTP1

/// A YooKassa stand-in started in-process and the adapter pointed at it.
struct YooKassaRig {
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: ProviderHTTPClient.configuration())
    static let shopID = "506751"
    static let secretKey = "test_s3cr3t-key"

    let server: StandinServer
    let standin: YooKassaStandin
    let provider: YooKassaProvider

    /// Starts a stand-in whose notifications go to its own inbox.
    static func start(timeout: Duration = .seconds(10)) async throws -> YooKassaRig {
        let server = try await StandinServer.start { baseURL in
            YooKassaStandin(
                options: StandinOptions(
                    account: shopID, secret: secretKey, publicBaseURL: baseURL, notificationURL: baseURL + YooKassaStandin.inboxPath))
        }
        let standin = server.standin as! YooKassaStandin
        return YooKassaRig(server: server, standin: standin, provider: provider(standin.apiBaseURL, timeout: timeout))
    }

    static func provider(_ apiBaseURL: String, timeout: Duration = .seconds(10), secretKey: String = secretKey) -> YooKassaProvider {
        YooKassaProvider(
            configuration: YooKassaConfiguration(
                shopID: shopID, secretKey: secretKey, apiBaseURL: apiBaseURL, requestTimeout: timeout, taxSystem: .simplifiedIncome),
            client: client)
    }

    func stop() async { await server.stop() }

    /// A card payment of `kopecks` with a receipt of one top-up line.
    static func request(
        _ kopecks: Int64, paymentID: String = UUID().uuidString, key: String? = nil, source: ProviderPaymentSource = .method(.card),
        save: Bool = false, receiptKopecks: Int64? = nil
    ) -> ProviderPaymentRequest {
        ProviderPaymentRequest(
            paymentID: paymentID, idempotencyKey: key ?? "pay-\(paymentID)", customerID: "customer-1", amount: .rub(kopecks),
            description: "Пополнение баланса", returnURL: "https://isp.example/return", source: source, saveMethod: save,
            receipt: receipt(receiptKopecks ?? kopecks))
    }

    static func receipt(_ kopecks: Int64) -> FiscalReceipt {
        FiscalReceipt(
            customer: FiscalCustomer(email: "ivanov@example.ru", phone: "+79001234567"),
            items: [
                FiscalItem(description: "Пополнение баланса", quantity: 1, price: .rub(kopecks), vat: .vat122, subject: .payment, mode: .advance)
            ],
            taxSystem: nil)
    }

    static func reference(_ request: ProviderPaymentRequest, providerID: String?, at date: Date = Date()) -> ProviderPaymentReference {
        ProviderPaymentReference(paymentID: request.paymentID, providerPaymentID: providerID, idempotencyKey: request.idempotencyKey, createdAt: date)
    }

    /// Acts on the hosted payment page as the customer would: `pay` or `decline`.
    static func act(_ action: String, on url: String) async throws -> (status: Int, page: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "action=\(action)"))
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// A raw API call, for what the adapter never sends.
    func call(_ method: HTTPMethod, _ path: String, key: String? = nil, body: String? = nil, authorised: Bool = true) async throws
        -> (status: Int, json: [String: Any])
    {
        var request = HTTPClientRequest(url: standin.apiBaseURL + path)
        request.method = method
        if authorised {
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(Self.shopID):\(Self.secretKey)".utf8).base64EncodedString())
        }
        if let key { request.headers.add(name: "Idempotence-Key", value: key) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await Self.client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        return (Int(response.status.code), json)
    }

    /// The page URL of a pending payment's confirmation.
    static func pageURL(_ payment: ProviderPayment) -> String? {
        switch payment.confirmation {
        case .redirect(let url): url
        case .qrCode(let payload): payload
        case nil: nil
        }
    }
}
