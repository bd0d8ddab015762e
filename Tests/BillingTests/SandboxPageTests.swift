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

/// A billing stand-in holding one sandbox payment, its page token `tok`, and the decisions the page delivers.
final class StubDesk: SandboxPaymentDesk {
    let page: Mutex<SandboxPage>
    let decisions = Mutex<[Bool]>([])

    init(page: SandboxPage) { self.page = Mutex(page) }

    func sandboxPage(paymentID: String, token: String?) async throws -> SandboxPage {
        let page = self.page.withLock { $0 }
        guard page.paymentID == paymentID, token == "tok" else { throw BillingError.notFound }
        return page
    }

    func decideSandboxPayment(paymentID: String, token: String?, succeeded: Bool) async throws -> SandboxPage {
        let page = try await sandboxPage(paymentID: paymentID, token: token)
        guard page.status == .pending else { return page }
        decisions.withLock { $0.append(succeeded) }
        return self.page.withLock {
            $0.status = succeeded ? .succeeded : .failed
            return $0
        }
    }
}

func samplePage(id: String = "pay-1", status: PaymentStatus = .pending) -> SandboxPage {
    SandboxPage(paymentID: id, amount: .rub(1_234_50), status: status)
}

@Suite("Sandbox provider's page")
struct SandboxPageTests {
    @Test(arguments: MoneyLocale.allCases, [PaymentStatus.pending, .succeeded, .failed, .refunded])
    func everyTemplateRendersEveryState(language: MoneyLocale, status: PaymentStatus) throws {
        let html = try SandboxPages().render(samplePage(status: status), token: "tok", language: language)
        #expect(html.hasPrefix("<!doctype html>") && html.contains("<html lang=\"\(language.rawValue)\">"))
        #expect(!html.contains("{{") && html.contains("pay-1"))
        #expect(html.contains("name=\"outcome\"") == (status == .pending))
        if status != .failed { #expect(html.contains(Money.rub(1_234_50).formatted(locale: language))) }
        #expect(html.contains(language == .ru ? "Тестовая оплата" : "Sandbox payment"))
    }

    @Test func thePageEscapesWhatItShows() throws {
        let html = try SandboxPages().render(samplePage(id: "<b>\"x\"&"), token: "tok", language: .ru)
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
        let app = Application(router: Self.router(StubDesk(page: samplePage())))
        try await app.test(.router) { client in
            for (header, language) in [(nil, "ru"), ("en-GB,en;q=0.9", "en"), ("de, en;q=0.5, ru;q=0.8", "ru"), ("fr", "ru")] {
                let headers: HTTPFields = header.map { [.acceptLanguage: $0] } ?? [:]
                let response = try await client.execute(uri: "/sandbox/pay/pay-1?token=tok", method: .get, headers: headers)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentLanguage] == language)
                #expect(String(buffer: response.body).contains("<html lang=\"\(language)\">"))
            }
            #expect(try await client.execute(uri: "/sandbox/pay/other?token=tok", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/sandbox/pay/pay-1", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/sandbox/pay/pay-1?token=other", method: .get).status == .notFound)
        }
    }

    @Test func aButtonDeliversTheSignedNotificationOnce() async throws {
        let desk = StubDesk(page: samplePage())
        let app = Application(router: Self.router(desk))
        try await app.test(.router) { client in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let paid = try await client.execute(
                uri: "/sandbox/pay/pay-1?token=tok", method: .post, headers: form, body: ByteBuffer(string: "outcome=succeeded"))
            #expect(paid.status == .ok)
            #expect(String(buffer: paid.body).contains("прошёл"))
            let again = try await client.execute(
                uri: "/sandbox/pay/pay-1?token=tok", method: .post, headers: form, body: ByteBuffer(string: "outcome=failed"))
            #expect(again.status == .ok)
            #expect(desk.decisions.withLock { $0 } == [true])
        }
    }

    @Test func aBadFormIsA400NamingTheField() async throws {
        let desk = StubDesk(page: samplePage())
        let app = Application(router: Self.router(desk))
        try await app.test(.router) { client in
            for body in ["outcome=maybe", "", "other=1", "outcome=a&outcome=b", "outcome[=x"] {
                let response = try await client.execute(
                    uri: "/sandbox/pay/pay-1?token=tok", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            let tooLarge = try await client.execute(
                uri: "/sandbox/pay/pay-1?token=tok", method: .post, body: ByteBuffer(string: "outcome=" + String(repeating: "x", count: 5000)))
            #expect(tooLarge.status == .contentTooLarge)
            #expect(desk.decisions.withLock { $0 }.isEmpty)
        }
    }
}
