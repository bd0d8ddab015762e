import Foundation
import Kernel

/// A tariff's monthly price from a day on.
public struct TariffPrice: Codable, Sendable, Hashable {
    /// Monthly price, VAT included.
    public var monthlyPrice: Money
    /// First day it applies.
    public var effectiveFrom: LocalDate

    /// Creates a price.
    public init(monthlyPrice: Money, effectiveFrom: LocalDate) {
        self.monthlyPrice = monthlyPrice
        self.effectiveFrom = effectiveFrom
    }
}

/// An internet tariff.
public struct Tariff: Codable, Sendable, Hashable {
    /// The tariff's id.
    public var id: String
    /// Short stable code (`home-100`).
    public var code: String
    /// Name in Russian.
    public var nameRu: String
    /// Name in English.
    public var nameEn: String
    /// Download speed, Mbit/s.
    public var downloadMbps: Int
    /// Upload speed, Mbit/s.
    public var uploadMbps: Int
    /// How VAT applies.
    public var vat: VATTreatment
    /// Default credit limit of its subscribers.
    public var creditLimit: Money
    /// Whether new subscriptions may choose it.
    public var isArchived: Bool
    /// Price history, oldest first.
    public var prices: [TariffPrice]
    /// The price in force today.
    public var currentPrice: Money

    /// Creates a tariff.
    public init(
        id: String, code: String, nameRu: String, nameEn: String, downloadMbps: Int, uploadMbps: Int, vat: VATTreatment,
        creditLimit: Money, isArchived: Bool, prices: [TariffPrice], currentPrice: Money
    ) {
        self.id = id
        self.code = code
        self.nameRu = nameRu
        self.nameEn = nameEn
        self.downloadMbps = downloadMbps
        self.uploadMbps = uploadMbps
        self.vat = vat
        self.creditLimit = creditLimit
        self.isArchived = isArchived
        self.prices = prices
        self.currentPrice = currentPrice
    }
}

/// What creating a tariff takes.
public struct NewTariff: Codable, Sendable, Hashable {
    /// Short stable code.
    public var code: String
    /// Name in Russian.
    public var nameRu: String
    /// Name in English.
    public var nameEn: String
    /// Download speed, Mbit/s.
    public var downloadMbps: Int
    /// Upload speed, Mbit/s.
    public var uploadMbps: Int
    /// How VAT applies.
    public var vat: VATTreatment
    /// Default credit limit of its subscribers.
    public var creditLimit: Money
    /// First monthly price, VAT included.
    public var monthlyPrice: Money
    /// First day of that price.
    public var effectiveFrom: LocalDate

    /// Creates the input.
    public init(
        code: String, nameRu: String, nameEn: String, downloadMbps: Int, uploadMbps: Int, vat: VATTreatment, creditLimit: Money,
        monthlyPrice: Money, effectiveFrom: LocalDate
    ) {
        self.code = code
        self.nameRu = nameRu
        self.nameEn = nameEn
        self.downloadMbps = downloadMbps
        self.uploadMbps = uploadMbps
        self.vat = vat
        self.creditLimit = creditLimit
        self.monthlyPrice = monthlyPrice
        self.effectiveFrom = effectiveFrom
    }
}
