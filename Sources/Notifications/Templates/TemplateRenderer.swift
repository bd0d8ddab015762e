import Foundation
import Kernel
import Mustache

/// Renders notifications from their templates: the values formatted for the reader's language and time zone, the
/// link made absolute, the e-mail laid out in HTML from the same text (so the two never disagree).
struct TemplateRenderer: Sendable {
    /// The personal account's address, for links.
    var baseURL: String
    /// The provider's name, shown in e-mails.
    var brand: String

    /// The texts of `kind` for `recipient`.
    func render(
        kind: String, template: NotificationTemplate, data: [String: TemplateValue], recipient: Recipient, zone: TimeZone,
        unsubscribeURL: String?
    ) throws(TemplateFailure) -> RenderedNotification {
        let locale = recipient.locale == "en" ? "en" : "ru"
        var values: [String: Any] = [
            "name": recipient.name, "first_name": PersonName.first(of: recipient.name), "brand": brand,
        ]
        for (key, value) in data { values[key] = value.formatted(locale: locale, zone: zone) }
        let link: String? = if case .text(let path) = data["link"] { path } else { nil }
        if let link { values["url"] = baseURL + link }
        let name = "\(kind)/\(locale)"
        let title = try Self.fill(template.title, values, name: name, part: "title").replacingOccurrences(of: "\n", with: " ")
        let body = try Self.fill(template.body, values, name: name, part: "body")
        let emailText = try template.email.map { text throws(TemplateFailure) in try Self.fill(text, values, name: name, part: "email") } ?? body
        let html = EmailLayout.html(
            title: title, text: emailText, action: template.action.flatMap { label in link.map { (label, baseURL + $0) } }, brand: brand,
            locale: locale, unsubscribeURL: unsubscribeURL)
        var plain = emailText
        if let link { plain += "\n\n" + baseURL + link }
        return RenderedNotification(title: title, body: body, emailText: plain, emailHTML: html, link: link)
    }

    /// Whether a template's text compiles.
    static func compiles(_ text: String) -> Bool { (try? MustacheTemplate(string: "{{%CONTENT_TYPE:TEXT}}" + text)) != nil }

    private static func fill(_ text: String, _ values: [String: Any], name: String, part: String) throws(TemplateFailure) -> String {
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: "{{%CONTENT_TYPE:TEXT}}" + text)
        } catch {
            throw TemplateFailure(template: name, part: part, reason: "the \(part) does not compile: \(error)")
        }
        let result = template.render(values).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !result.isEmpty else { throw TemplateFailure(template: name, part: part, reason: "the \(part) came out empty") }
        return result
    }
}
