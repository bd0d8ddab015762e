import Foundation
import Hummingbird
import NIOCore

extension TBankStandin {
    /// The payment page standing for T-Bank's card form and SBP: `GET /new/{PaymentId}` shows the payment with "pay"
    /// and "decline" buttons, `POST` (form field `action`) settles it, posts the notification, and sends the customer
    /// to `SuccessURL` or `FailURL`.
    func registerPage(on router: Router<BasicRequestContext>) {
        let ledger = ledger
        router.get("/new/:id") { _, context -> Response in
            let id = try context.parameters.require("id")
            guard let payment = await ledger.show(id) else { throw HTTPError(.notFound, message: "Платеж не найден") }
            return Self.html(Self.page(payment))
        }
        router.post("/new/:id") { request, context -> Response in
            let id = try context.parameters.require("id")
            let buffer = try await request.body.collect(upTo: 1 << 16)
            let form = String(decoding: buffer.readableBytesView, as: UTF8.self)
            let action = form.split(separator: "&").first { $0.hasPrefix("action=") }.map { String($0.dropFirst("action=".count)) }
            guard action == "pay" || action == "decline" else { throw HTTPError(.badRequest, message: "action must be pay or decline") }
            guard let payment = await ledger.settle(id, pay: action == "pay") else {
                throw HTTPError(.conflict, message: "the payment is not waiting for the customer")
            }
            await deliver(payment)
            let next = payment.status == "CONFIRMED" ? payment.successURL : payment.failURL
            if let next { return Response(status: .seeOther, headers: [.location: next]) }
            return Self.html("<p>\(payment.status == "CONFIRMED" ? "Оплачено / Paid" : "Отклонено / Declined")</p>")
        }
    }

    /// The page of `payment`.
    static func page(_ payment: TBankStandinPayment) -> String {
        let rubles = "\(payment.amount / 100),\(String(format: "%02d", payment.amount % 100)) ₽"
        let text = (payment.description ?? "").replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        return """
            <h1>Т-Банк (stand-in)</h1>
            <p>Заказ \(payment.orderID): \(text)</p>
            <p>Сумма: \(rubles) — статус \(payment.status)</p>
            <form method="post"><button name="action" value="pay">Оплатить / Pay</button></form>
            <form method="post"><button name="action" value="decline">Отклонить / Decline</button></form>
            """
    }

    /// An HTML answer.
    static func html(_ body: String) -> Response {
        let page = "<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\"><title>Т-Банк</title><body>\(body)</body></html>"
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }
}
