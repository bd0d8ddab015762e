import Kernel

/// What pricing needs of a tariff: names, VAT treatment and price history.
public struct PricedTariff: Sendable, Hashable {
    /// The tariff's id.
    public var id: String
    /// Name in Russian.
    public var nameRu: String
    /// Name in English.
    public var nameEn: String
    /// How VAT applies.
    public var vat: VATTreatment
    /// Prices as (first day, monthly price in minor units), oldest first.
    public var prices: [(from: LocalDate, price: Int64)]

    /// Creates a tariff view; `prices` are sorted here.
    public init(id: String, nameRu: String, nameEn: String, vat: VATTreatment, prices: [(from: LocalDate, price: Int64)]) {
        self.id = id
        self.nameRu = nameRu
        self.nameEn = nameEn
        self.vat = vat
        self.prices = prices.sorted { $0.from < $1.from }
    }

    /// The monthly price in force on `day`: the latest one effective on or before it; `nil` before the first.
    public func price(on day: LocalDate) -> Int64? { prices.last { $0.from <= day }?.price }

    /// Equal when every field is.
    public static func == (lhs: PricedTariff, rhs: PricedTariff) -> Bool {
        lhs.id == rhs.id && lhs.nameRu == rhs.nameRu && lhs.nameEn == rhs.nameEn && lhs.vat == rhs.vat
            && lhs.prices.map(\.from) == rhs.prices.map(\.from) && lhs.prices.map(\.price) == rhs.prices.map(\.price)
    }

    /// Hashes the id.
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
