/// A text in both languages the personal account speaks.
public struct LocalizedText: Sendable, Hashable, Codable {
    /// Russian.
    public var ru: String
    /// English.
    public var en: String

    /// Creates a text.
    public init(ru: String, en: String) {
        self.ru = ru
        self.en = en
    }

    /// The text for a locale code (`ru`, `en`); Russian for any other.
    public func text(for locale: String) -> String { locale.lowercased().hasPrefix("en") ? en : ru }
}
