import Kernel

/// How a customer pays through a provider.
public enum ProviderPaymentMethod: String, Codable, Sendable, CaseIterable, Hashable {
    /// A bank card on the provider's page.
    case card
    /// The Faster Payments System (СБП): a QR code or a link the customer's bank app opens.
    case sbp
}

/// What a provider offers customers: its name, methods, and whether it can save a method for autopay.
public struct ProviderOffer: Codable, Sendable, Hashable {
    /// The provider's name (`yookassa`).
    public var name: String
    /// Its title for customers, in Russian and English.
    public var title: ProviderTitle
    /// The methods a customer may choose.
    public var methods: [ProviderPaymentMethod]
    /// Whether a card can be saved on a first payment and charged later without the customer.
    public var savesMethods: Bool

    /// Creates an offer.
    public init(name: String, title: ProviderTitle, methods: [ProviderPaymentMethod], savesMethods: Bool) {
        self.name = name
        self.title = title
        self.methods = methods
        self.savesMethods = savesMethods
    }
}

/// A provider's title in both languages.
public struct ProviderTitle: Codable, Sendable, Hashable {
    /// In Russian.
    public var ru: String
    /// In English.
    public var en: String

    /// Creates a title.
    public init(ru: String, en: String) {
        self.ru = ru
        self.en = en
    }
}
