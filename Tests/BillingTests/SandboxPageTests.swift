import Billing
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import ServerKit
import Synchronization
import Testing

/// A billing stand-in holding one sandbox payment and recording the notifications the page delivers.
final class StubDesk: SandboxPaymentDesk {
    let provider = SandboxProvider(secret: "s", baseURL: "http://localhost")
    let payment: Mutex<Payment>
    let delivered = Mutex<[ProviderNotification]>([])

    init(payment: Payment) { self.payment = Mutex(payment) }

    func sandboxConfirmationPage(paymentID: String, of owner: AccountOwner?) async throws -> SandboxProvider.ConfirmationPage {
        let payment = self.payment.withLock { $0 }
        guard payment.id == paymentID else { throw BillingError.notFound }
        return provider.confirmationPage(for: payment)
    }

    func handleProviderNotification(provider: String, body: [UInt8], signature: String?) async throws {
        let notification = try self.provider.verify(body: body, signature: signature)
        delivered.withLock { $0.append(notification) }
        payment.withLock { $0.status = notification.outcome == .succeeded ? .succeeded : .failed }
    }
}

func samplePayment(id: String = "pay-1", status: PaymentStatus = .pending) -> Payment {
    Payment(
        id: id, customerId: "c-1", invoiceId: nil, amount: .rub(1_234_50), method: .provider, provider: "sandbox", status: status,
        refundedAmount: .rub(0), confirmationURL: nil, createdAt: Date(timeIntervalSince1970: 0))
}

@Suite("Sandbox provider's page")
struct SandboxPageTests {
    static let provider = SandboxProvider(secret: "s", baseURL: "http://localhost")

    @Test(arguments: MoneyLocale.allCases, [PaymentStatus.pending, .succeeded, .failed, .refunded])
    func everyTemplateRendersEveryState(language: MoneyLocale, status: PaymentStatus) throws {
        let html = try SandboxPages().render(Self.provider.confirmationPage(for: samplePayment(status: status)), language: language)
        #expect(html.hasPrefix("<!doctype html>") && html.contains("<html lang=\"\(language.rawValue)\">"))
        #expect(!html.contains("{{") && html.contains("pay-1"))
        #expect(html.contains("name=\"outcome\"") == (status == .pending))
        if status != .failed { #expect(html.contains(Money.rub(1_234_50).formatted(locale: language))) }
        #expect(html.contains(language == .ru ? "Тестовая оплата" : "Sandbox payment"))
    }

    @Test func thePageEscapesWhatItShows() throws {
        let html = try SandboxPages().render(Self.provider.confirmationPage(for: samplePayment(id: "<b>\"x\"&")), language: .ru)
        #expect(html.contains("&lt;b&gt;&quot;x&quot;&amp;") && !html.contains("<b>"))
    }

    static func router(_ desk: StubDesk) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        let secure = SecureRouter(router: router, security: RouteSecurity(rateLimiter: InMemoryRateLimiter()))
        SandboxPageRoutes(desk: desk).register(on: secure)
        return router
    }

    @Test func russianFirstEnglishWhenAsked() async throws {
        let app = Application(router: Self.router(StubDesk(payment: samplePayment())))
        try await app.test(.router) { client in
            for (header, language) in [(nil, "ru"), ("en-GB,en;q=0.9", "en"), ("de, en;q=0.5, ru;q=0.8", "ru"), ("fr", "ru")] {
                let headers: HTTPFields = header.map { [.acceptLanguage: $0] } ?? [:]
                let response = try await client.execute(uri: "/sandbox/pay/pay-1", method: .get, headers: headers)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentLanguage] == language)
                #expect(String(buffer: response.body).contains("<html lang=\"\(language)\">"))
            }
            #expect(try await client.execute(uri: "/sandbox/pay/other", method: .get).status == .notFound)
        }
    }

    @Test func aButtonDeliversTheSignedNotificationOnce() async throws {
        let desk = StubDesk(payment: samplePayment())
        let app = Application(router: Self.router(desk))
        try await app.test(.router) { client in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let paid = try await client.execute(
                uri: "/sandbox/pay/pay-1", method: .post, headers: form, body: ByteBuffer(string: "outcome=succeeded"))
            #expect(paid.status == .ok)
            #expect(String(buffer: paid.body).contains("прошёл"))
            let again = try await client.execute(uri: "/sandbox/pay/pay-1", method: .post, headers: form, body: ByteBuffer(string: "outcome=failed"))
            #expect(again.status == .ok)
            #expect(desk.delivered.withLock { $0 } == [ProviderNotification(paymentId: "pay-1", outcome: .succeeded, amount: 1_234_50)])
        }
    }

    @Test func aBadFormIsA400NamingTheField() async throws {
        let desk = StubDesk(payment: samplePayment())
        let app = Application(router: Self.router(desk))
        try await app.test(.router) { client in
            for body in ["outcome=maybe", "", "other=1", "outcome=a&outcome=b", "outcome[=x"] {
                let response = try await client.execute(
                    uri: "/sandbox/pay/pay-1", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            let tooLarge = try await client.execute(
                uri: "/sandbox/pay/pay-1", method: .post, body: ByteBuffer(string: "outcome=" + String(repeating: "x", count: 5000)))
            #expect(tooLarge.status == .contentTooLarge)
            #expect(desk.delivered.withLock { $0 }.isEmpty)
        }
    }
}
