import Contracts
import Foundation
import Kernel
import Notifications
import TestSupport
import Testing

@Suite("Templates: operators rewrite them in versions, checked before they are in force")
struct TemplateTests {
    @Test(arguments: DatabaseKind.available)
    func aNewVersionIsUsedForTheNextNotificationsAndTheHistoryIsKept(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let all = try await h.service.templates()
            #expect(all.count == 40, "20 kinds in two languages")
            let builtIn = try #require(all.first { $0.kind == "payment.succeeded" && $0.locale == "ru" })
            #expect(builtIn.version == 0 && builtIn.authorId == nil)
            #expect(builtIn.variables == ["amount", "brand", "first_name", "name", "url"])

            let first = try await h.service.setTemplate(
                kind: "payment.succeeded", locale: "ru",
                TemplateTexts(title: "Оплата получена", body: "{{first_name}}, на счёт зачислено {{amount}}."),
                authorID: "admin-1")
            #expect(first.version == 1)
            let second = try await h.service.setTemplate(
                kind: "payment.succeeded", locale: "ru", TemplateTexts(title: "Спасибо за оплату", body: "{{first_name}}, зачислено {{amount}}."),
                authorID: "admin-2")
            #expect(second.version == 2)
            #expect(try await h.service.templateVersions(kind: "payment.succeeded", locale: "ru").map(\.version) == [2, 1])
            #expect(try await h.service.templates().first { $0.kind == "payment.succeeded" && $0.locale == "ru" }?.version == 2)

            let ivan = try await h.customer()
            try await h.deliver(PaymentSucceeded(paymentId: "p-1", customerId: ivan.id, invoiceId: nil, amount: .rub(50_000), method: .provider))
            try await h.settle()
            let item = try #require(try await h.service.inbox(ofUser: ivan.userId, unreadOnly: false, page: PageRequest()).items.first)
            #expect(item.title == "Спасибо за оплату")
            #expect(item.body == "Иван, зачислено 500,00\u{00A0}₽.")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aTemplateThatCannotMakeAMessageIsRefusedNamingTheText(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let cases: [(TemplateTexts, String)] = [
                (TemplateTexts(title: "Счёт {{#number}}", body: "текст"), "title"),
                (TemplateTexts(title: "Счёт", body: "{{unknown_value}}"), "body"),
                (TemplateTexts(title: "Счёт", body: "текст", email: "{{/number}}"), "email"),
                (TemplateTexts(title: String(repeating: "я", count: 201), body: "текст"), "title"),
                (TemplateTexts(title: "Счёт", body: "  "), "body"),
                (TemplateTexts(title: "Счёт", body: "текст", action: String(repeating: "я", count: 61)), "action"),
            ]
            for (texts, field) in cases {
                let refused = await refusedField { _ = try await h.service.setTemplate(kind: "invoice.created", locale: "ru", texts, authorID: "a") }
                #expect(refused == field, "\(texts)")
            }
            let kept = try await h.service.templateVersions(kind: "invoice.created", locale: "ru")
            #expect(kept.isEmpty, "nothing refused was kept")
            await #expect(throws: NotificationsError.notFound) {
                try await h.service.setTemplate(kind: "no.such", locale: "ru", TemplateTexts(title: "x", body: "y"), authorID: "a")
            }
            await #expect(throws: NotificationsError.notFound) { try await h.service.templateVersions(kind: "invoice.created", locale: "de") }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aPreviewRendersSampleValuesAsTheMessagesWillLook(kind: DatabaseKind) async throws {
        try await NotificationsHarness.with(kind) { h in
            let current = try await h.service.previewTemplate(kind: "invoice.created", locale: "en", nil)
            #expect(current.title == "Invoice 2026-12-0042 for RUB 850.00")
            #expect(current.emailText.hasPrefix("Hello John,"))
            #expect(current.emailHTML.contains("Open the invoice"))
            let draft = try await h.service.previewTemplate(
                kind: "ticket.resolved", locale: "ru",
                TemplateTexts(title: "Готово: № {{number}}", body: "Решено", email: "{{first_name}}, оцените: {{rating_url}}", action: "Открыть"))
            #expect(draft.title == "Готово: № 1234")
            #expect(draft.emailText.hasPrefix("Иван, оцените: https://"))
            #expect(try await h.service.templateVersions(kind: "ticket.resolved", locale: "ru").isEmpty, "a preview saves nothing")
        }
    }
}
