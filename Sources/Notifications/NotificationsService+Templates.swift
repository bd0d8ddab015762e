import Contracts
import Foundation
import Kernel
import Storage

extension NotificationsService {
    /// Every kind's template in each language, as in force (an operator's latest version, else the built-in texts).
    public func templates() async throws -> [NotificationTemplateInfo] {
        let written = try await TemplateStore.current(in: database)
        return DefaultTemplates.all.keys.sorted().flatMap { kind in
            ["ru", "en"].map { locale in written["\(kind)/\(locale)"] ?? Self.builtIn(kind: kind, locale: locale) }
        }
    }

    /// The versions operators wrote, newest first.
    public func templateVersions(kind: String, locale: String) async throws -> [NotificationTemplateInfo] {
        try Self.known(kind: kind, locale: locale)
        return try await TemplateStore.versions(kind: kind, locale: locale, in: database)
    }

    /// Puts a new version in force after checking its lengths, that it compiles and that it renders on the kind's
    /// sample values; refusals name the text at fault.
    public func setTemplate(kind: String, locale: String, _ texts: TemplateTexts, authorID: String) async throws -> NotificationTemplateInfo {
        try Self.known(kind: kind, locale: locale)
        let checked = try Self.checked(texts)
        _ = try preview(kind: kind, locale: locale, checked)
        let now = clock.now()
        let version = try await TemplateStore.add(kind: kind, locale: locale, checked, authorID: authorID, at: now, in: database)
        templateCache.invalidate()
        return NotificationTemplateInfo(
            kind: kind, locale: locale, version: version, texts: checked, variables: TemplateSamples.variables(of: kind), authorId: authorID,
            createdAt: now)
    }

    /// A template rendered on the kind's sample values.
    public func previewTemplate(kind: String, locale: String, _ texts: TemplateTexts?) async throws -> TemplatePreview {
        try Self.known(kind: kind, locale: locale)
        let chosen: TemplateTexts
        if let texts {
            chosen = try Self.checked(texts)
        } else {
            chosen = try await template(kind: kind, locale: locale).map(Self.texts) ?? Self.builtIn(kind: kind, locale: locale).texts
        }
        return try preview(kind: kind, locale: locale, chosen)
    }

    /// The template in force for `kind` in `locale`, read at most every few seconds.
    func template(kind: String, locale: String) async throws -> NotificationTemplate? {
        let written = try await templateCache.snapshot { [database] in try await TemplateStore.current(in: database) }
        if let info = written["\(kind)/\(locale)"] { return Self.template(info.texts) }
        return DefaultTemplates.all[kind]?[locale]
    }

    private func preview(kind: String, locale: String, _ texts: TemplateTexts) throws -> TemplatePreview {
        let recipient = TemplateSamples.recipient(locale: locale)
        do {
            let rendered = try renderer.render(
                kind: kind, template: Self.template(texts), data: TemplateSamples.values[kind] ?? [:], recipient: recipient,
                zone: settings.timeZone, unsubscribeURL: NotificationRule.all[kind]?.critical == true ? nil : settings.publicBaseURL + "/unsubscribe")
            return TemplatePreview(title: rendered.title, body: rendered.body, emailText: rendered.emailText, emailHTML: rendered.emailHTML)
        } catch {
            throw NotificationsError.invalidField(field: error.part, reason: error.reason)
        }
    }

    private static func known(kind: String, locale: String) throws {
        guard DefaultTemplates.all[kind] != nil, locale == "ru" || locale == "en" else { throw NotificationsError.notFound }
    }

    private static func checked(_ texts: TemplateTexts) throws -> TemplateTexts {
        func text(_ value: String, _ field: String, _ maximum: Int) throws -> String {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= maximum else {
                throw NotificationsError.invalidField(field: field, reason: "1 to \(maximum) characters")
            }
            return trimmed
        }
        return TemplateTexts(
            title: try text(texts.title, "title", 200), body: try text(texts.body, "body", 1000),
            email: try texts.email.map { try text($0, "email", 10_000) }, action: try texts.action.map { try text($0, "action", 60) })
    }

    private static func builtIn(kind: String, locale: String) -> NotificationTemplateInfo {
        let template = DefaultTemplates.all[kind]?[locale] ?? NotificationTemplate(title: kind, body: kind)
        return NotificationTemplateInfo(
            kind: kind, locale: locale, version: 0, texts: texts(template), variables: TemplateSamples.variables(of: kind), authorId: nil,
            createdAt: nil)
    }

    static func texts(_ template: NotificationTemplate) -> TemplateTexts {
        TemplateTexts(title: template.title, body: template.body, email: template.email, action: template.action)
    }

    private static func template(_ texts: TemplateTexts) -> NotificationTemplate {
        NotificationTemplate(title: texts.title, body: texts.body, email: texts.email, action: texts.action)
    }
}
