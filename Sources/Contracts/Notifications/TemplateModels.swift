import Foundation

/// The texts of one kind of notification in one language as an operator writes them: Mustache templates over the
/// kind's values (`{{amount}}`, `{{number}}`, `{{first_name}}`, `{{url}}` …).
public struct TemplateTexts: Codable, Sendable, Hashable {
    /// The headline: push and inbox title, e-mail subject (at most 200 characters).
    public var title: String
    /// The short text: push, inbox item and text message (at most 1000 characters).
    public var body: String
    /// The e-mail's text, paragraphs separated by blank lines (at most 10,000 characters); the short text when nil.
    public var email: String?
    /// The e-mail button's label, if it has one (at most 60 characters).
    public var action: String?

    /// Creates the texts.
    public init(title: String, body: String, email: String? = nil, action: String? = nil) {
        self.title = title
        self.body = body
        self.email = email
        self.action = action
    }
}

/// One kind's template in one language as it is in force.
public struct NotificationTemplateInfo: Codable, Sendable, Hashable {
    /// The kind (`invoice.created`, `ticket.reply` …).
    public var kind: String
    /// `ru` or `en`.
    public var locale: String
    /// The version in force; 0 for the built-in texts.
    public var version: Int
    /// The texts.
    public var texts: TemplateTexts
    /// The values its templates may use.
    public var variables: [String]
    /// Who wrote this version, when an operator did.
    public var authorId: String?
    /// When it was written.
    public var createdAt: Date?

    /// Creates the description.
    public init(
        kind: String, locale: String, version: Int, texts: TemplateTexts, variables: [String], authorId: String?, createdAt: Date?
    ) {
        self.kind = kind
        self.locale = locale
        self.version = version
        self.texts = texts
        self.variables = variables
        self.authorId = authorId
        self.createdAt = createdAt
    }
}

/// A template rendered on sample values, as its messages will look.
public struct TemplatePreview: Codable, Sendable, Hashable {
    /// The headline.
    public var title: String
    /// The short text.
    public var body: String
    /// The e-mail's plain text.
    public var emailText: String
    /// The e-mail's HTML.
    public var emailHTML: String

    /// Creates the preview.
    public init(title: String, body: String, emailText: String, emailHTML: String) {
        self.title = title
        self.body = body
        self.emailText = emailText
        self.emailHTML = emailHTML
    }
}
