/// A notification's texts for one reader.
struct RenderedNotification: Sendable, Hashable {
    /// The headline (push title, inbox title, e-mail subject).
    var title: String
    /// The short text (push body, inbox text, text message).
    var body: String
    /// The e-mail's plain text.
    var emailText: String
    /// The e-mail's HTML.
    var emailHTML: String
    /// Where it leads in the personal account, relative (`/invoices/…`).
    var link: String?
}

/// A template that cannot make a message: shown to operators in the delivery log, never sent as an empty message.
struct TemplateFailure: Error, CustomStringConvertible {
    /// The kind and language.
    var template: String
    /// Which text: `title`, `body` or `email`.
    var part: String
    /// What is wrong.
    var reason: String

    var description: String { "template \(template): \(reason)" }
}
