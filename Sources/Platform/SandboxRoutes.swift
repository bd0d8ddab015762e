import Billing
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import ServerKit

/// `/sandbox/pay/{id}`: the sandbox payment provider's hosted page — the stand-in for a bank's card form.
///
/// The page shows the amount and two buttons; a button posts back here, and the route delivers the provider's
/// signed notification to billing exactly as a real provider's webhook would arrive. Only mounted when sandbox
/// payments are on (`LASTMILE_SANDBOX_PAYMENTS`): in production it would let anyone confirm a payment.
struct SandboxRoutes: Sendable {
    let billing: BillingService

    func register(on router: SecureRouter) {
        router.get("/sandbox/pay/{id}", access: .anonymous, class: .api) { request, context in
            let page = try await billing.sandboxConfirmationPage(paymentID: try context.parameters.require("id"), of: nil)
            return html(Self.render(page, language: Self.language(of: request)))
        }
        router.post("/sandbox/pay/{id}", access: .anonymous, class: .api) { request, context in
            let id = try context.parameters.require("id")
            let form = try await request.body.collect(upTo: 4096)
            let outcomeText = String(buffer: form).split(separator: "&").compactMap { pair -> String? in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return parts.count == 2 && parts[0] == "outcome" ? String(parts[1]) : nil
            }.first
            guard let outcomeText, let outcome = ProviderOutcome(rawValue: outcomeText) else {
                throw Problem.invalidField("outcome", "field outcome must be one of \(ProviderOutcome.allCases.map(\.rawValue))")
            }
            let page = try await billing.sandboxConfirmationPage(paymentID: id, of: nil)
            if page.status == .pending, let notification = page.notifications[outcome] {
                try await billing.handleProviderNotification(provider: "sandbox", body: notification.body, signature: notification.signature)
            }
            let done = try await billing.sandboxConfirmationPage(paymentID: id, of: nil)
            return html(Self.render(done, language: Self.language(of: request)))
        }
    }

    private func html(_ text: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func language(of request: Request) -> Language {
        (request.headers[.acceptLanguage] ?? "ru").lowercased().hasPrefix("en") ? .en : .ru
    }

    enum Language { case ru, en }

    static func render(_ page: SandboxProvider.ConfirmationPage, language: Language) -> String {
        let ru = language == .ru
        let amount = page.amount.formatted(locale: ru ? .ru : .en)
        let title = ru ? "Тестовая оплата" : "Sandbox payment"
        let body: String
        switch page.status {
        case .pending:
            body = """
                <p>\(ru ? "Сумма к оплате" : "Amount to pay"): <strong>\(escape(amount))</strong></p>
                <p>\(ru ? "Это тестовый платёжный шлюз: деньги не списываются." : "This is a test payment page: no money is taken.")</p>
                <form method="post"><input type="hidden" name="outcome" value="succeeded">
                <button type="submit">\(ru ? "Оплатить" : "Pay")</button></form>
                <form method="post"><input type="hidden" name="outcome" value="failed">
                <button type="submit">\(ru ? "Отклонить" : "Decline")</button></form>
                """
        case .succeeded, .partiallyRefunded, .refunded:
            body = "<p>\(ru ? "Платёж на сумму" : "Payment of") <strong>\(escape(amount))</strong> \(ru ? "прошёл." : "succeeded.")</p>"
        case .failed:
            body = "<p>\(ru ? "Платёж отклонён." : "The payment was declined.")</p>"
        }
        return """
            <!doctype html><html lang="\(ru ? "ru" : "en")"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(title)</title>
            <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;margin:.25rem 0;padding:.5rem 1rem}</style>
            </head><body><h1>\(title)</h1><p>\(ru ? "Платёж" : "Payment") \(escape(page.paymentID))</p>\(body)
            <p><a href="/">\(ru ? "Вернуться в личный кабинет" : "Back to your account")</a></p></body></html>
            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
