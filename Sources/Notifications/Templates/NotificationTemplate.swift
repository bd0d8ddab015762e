/// The texts of one kind of notification in one language, as Mustache templates over its values (`{{amount}}`,
/// `{{number}}`, `{{name}}`, `{{first_name}}`, `{{url}}` — the link made absolute).
struct NotificationTemplate: Sendable, Hashable {
    /// The headline: the push's and the inbox item's title, the e-mail's subject.
    var title: String
    /// The short text: the push's body, the inbox item's text, the text message.
    var body: String
    /// The e-mail's text (paragraphs separated by blank lines); the short text when nil.
    var email: String?
    /// The e-mail's button, if it has one.
    var action: String?
}
