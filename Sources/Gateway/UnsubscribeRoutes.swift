import Contracts
import Foundation
import Hummingbird
import Kernel
import NIOCore
import ServerKit

/// `/api/v1/notifications/unsubscribe?u=&c=&t=`: the link in every e-mail that is not critical. A mail program's
/// one-click `POST` (RFC 8058) turns that category's e-mail off at once; a person who opens the link gets a page whose
/// button posts the same. A `GET` changes nothing, so a link scanner cannot unsubscribe anyone.
struct UnsubscribeRoutes: Sendable {
    let notifications: any NotificationsAPI

    func register(on router: SecureRouter) {
        router.get("/api/v1/notifications/unsubscribe", access: .anonymous, class: .api) { request, _ in
            let (_, category, _) = try Self.link(request)
            return Self.page(
                ru: "Отписаться от писем о «\(Self.categoryName(category, ru: true))»?",
                en: "Unsubscribe from e-mails about \(Self.categoryName(category, ru: false))?", form: request.uri.description)
        }
        router.post("/api/v1/notifications/unsubscribe", access: .anonymous, class: .api) { request, _ in
            let (user, category, token) = try Self.link(request)
            try await notifications.unsubscribe(userID: user, category: category, token: token)
            return Self.page(
                ru: "Вы отписались от писем о «\(Self.categoryName(category, ru: true))». Уведомления в личном кабинете останутся.",
                en: "You will no longer get e-mails about \(Self.categoryName(category, ru: false)). Notifications in your account stay.",
                form: nil)
        }
    }

    private static func link(_ request: Request) throws -> (String, NotificationCategory, String) {
        let query = request.uri.queryParameters
        guard let user = query.get("u"), !user.isEmpty, user.count <= 64 else { throw Problem.invalidField("u", "not a valid unsubscribe link") }
        guard let category = query.get("c").flatMap(NotificationCategory.init(rawValue:)) else {
            throw Problem.invalidField("c", "not a valid unsubscribe link")
        }
        guard let token = query.get("t"), !token.isEmpty, token.count <= 64 else { throw Problem.invalidField("t", "not a valid unsubscribe link") }
        return (user, category, token)
    }

    private static func categoryName(_ category: NotificationCategory, ru: Bool) -> String {
        switch category {
        case .billing: ru ? "счетах" : "invoices"
        case .payments: ru ? "платежах" : "payments"
        case .service: ru ? "услуге" : "your service"
        case .support: ru ? "обращениях в поддержку" : "support requests"
        case .security: ru ? "безопасности" : "security"
        case .news: ru ? "новостях" : "news"
        }
    }

    /// A small page in Russian and English: no script, no style from elsewhere; with `form`, a button that posts to it.
    private static func page(ru: String, en: String, form: String?) -> Response {
        let button =
            form.map { action in
                "<form method=\"post\" action=\"\(HTMLText.escape(action))\"><button type=\"submit\">Отписаться — Unsubscribe</button></form>"
            } ?? ""
        let html = """
            <!doctype html>
            <html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Рассылка — E-mail preferences</title></head>
            <body><main><h1>\(HTMLText.escape(ru))</h1><p lang="en">\(HTMLText.escape(en))</p>\(button)</main></body></html>
            """
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: "default-src 'none'; form-action 'self'; frame-ancestors 'none'", .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
