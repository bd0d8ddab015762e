import Foundation
import Hummingbird
import NIOCore

extension YooKassaStandin {
    /// The bank's page: `GET` shows the payment with "pay" and "decline" buttons; `POST` with `action=pay|decline`
    /// moves a pending payment to its final state (or to waiting for capture) and delivers its notification before
    /// answering, so a caller that got the page's answer can count on the notification having been sent.
    func registerPage(on router: Router<BasicRequestContext>) {
        router.get("/yookassa/checkout/:id") { request, context in
            let id = try context.parameters.require("id")
            guard let payment = try await Self.read(ledger: ledger, id) else {
                return Self.page(status: .notFound, "Платёж не найден / No such payment")
            }
            guard payment.status == "pending" else { return Self.page(status: .ok, Self.outcome(payment)) }
            let text = "\(Self.escape(payment.description ?? "")) — \(payment.amount.value) ₽"
            return Self.page(
                status: .ok,
                """
                <h1>ЮKassa (stand-in)</h1><p>\(text)</p>
                <form method="post"><input type="hidden" name="action" value="pay"><button>Оплатить / Pay</button></form>
                <form method="post"><input type="hidden" name="action" value="decline"><button>Отклонить / Decline</button></form>
                """)
        }
        router.post("/yookassa/checkout/:id") { request, context in
            let id = try context.parameters.require("id")
            let form = String(buffer: try await request.body.collect(upTo: 1 << 12))
            let action = form.split(separator: "&").compactMap { pair -> Substring? in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return parts.count == 2 && parts[0] == "action" ? parts[1] : nil
            }.first
            guard let action, action == "pay" || action == "decline" else {
                return Self.page(status: .badRequest, "action=pay or action=decline")
            }
            guard let confirmed = await ledger.confirm(id, pay: action == "pay") else {
                return Self.page(status: .notFound, "Платёж не найден / No such payment")
            }
            await deliver(confirmed.notifications)
            return Self.page(status: .ok, Self.outcome(confirmed.payment))
        }
    }

    /// The control routes for tests and scripts.
    func registerControls(on router: Router<BasicRequestContext>) {
        router.post("/standin/yookassa/saved-methods/:token/decline") { request, context in
            let token = try context.parameters.require("token")
            let body = try await request.body.collect(upTo: 1 << 12)
            var declined = true
            if body.readableBytes > 0 {
                struct Switch: Decodable { var declined: Bool }
                declined = try JSONDecoder().decode(Switch.self, from: Data(body.readableBytesView)).declined
            }
            return await declineSavedMethod(token, declined) ? HTTPResponse.Status.noContent : .notFound
        }
        router.post("/standin/yookassa/payments/:id/expire") { _, context in
            let id = try context.parameters.require("id")
            return await expirePayment(id) ? HTTPResponse.Status.noContent : .notFound
        }
        router.post(RouterPath(Self.inboxPath)) { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            await ledger.receive(Array(body.readableBytesView))
            return HTTPResponse.Status.ok
        }
    }

    private static func read(ledger: YooKassaStandinLedger, _ id: String) async throws -> YooKassaObjects.Payment? {
        let answer = await ledger.payment(id)
        guard answer.status == 200 else { return nil }
        return try JSONDecoder().decode(YooKassaObjects.Payment.self, from: Data(answer.body))
    }

    private static func outcome(_ payment: YooKassaObjects.Payment) -> String {
        var text = "<h1>ЮKassa (stand-in)</h1><p id=\"status\">\(payment.status)</p>"
        if let returnURL = payment.confirmation?.returnUrl {
            text += "<p><a href=\"\(escape(returnURL))\">Вернуться в магазин / Back to the shop</a></p>"
        }
        return text
    }

    private static func page(status: HTTPResponse.Status, _ body: String) -> Response {
        let html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>ЮKassa stand-in</title></head><body>\(body)</body></html>"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
