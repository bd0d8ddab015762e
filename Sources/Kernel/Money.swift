import Foundation

/// An exact amount of money: a whole number of minor units (kopecks for RUB) in one currency.
///
/// There is no floating point anywhere: amounts are `Int64` minor units, arithmetic throws ``MoneyError`` on a
/// currency mismatch or on overflow instead of wrapping, and JSON carries `{"amount": 12345, "currency": "RUB"}`
/// where `amount` is in minor units.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The amount in minor units (kopecks for RUB); negative for credits and refunds.
    public let minorUnits: Int64
    /// The currency the amount is in.
    public let currency: Currency

    /// Creates an amount from minor units.
    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// An amount in roubles given in kopecks: `Money.rub(12345)` is 123,45 ₽.
    public static func rub(_ kopecks: Int64) -> Money { Money(minorUnits: kopecks, currency: .rub) }

    /// Zero in `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// Whether the amount is zero.
    public var isZero: Bool { minorUnits == 0 }
    /// Whether the amount is below zero.
    public var isNegative: Bool { minorUnits < 0 }
    /// Whether the amount is above zero.
    public var isPositive: Bool { minorUnits > 0 }

    /// The sum; throws on a currency mismatch or overflow.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        if overflow { throw .overflow }
        return Money(minorUnits: sum, currency: currency)
    }

    /// The difference; throws on a currency mismatch or overflow.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try requireSameCurrency(other)
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        if overflow { throw .overflow }
        return Money(minorUnits: difference, currency: currency)
    }

    /// The amount with its sign flipped; throws for `Int64.min`, whose negation does not fit.
    public func negated() throws(MoneyError) -> Money {
        let (negation, overflow) = Int64(0).subtractingReportingOverflow(minorUnits)
        if overflow { throw .overflow }
        return Money(minorUnits: negation, currency: currency)
    }

    /// The absolute amount; throws for `Int64.min`.
    public func magnitude() throws(MoneyError) -> Money { isNegative ? try negated() : self }

    /// The amount times a whole factor (a quantity); throws on overflow.
    public func multiplied(by factor: Int64) throws(MoneyError) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: factor)
        if overflow { throw .overflow }
        return Money(minorUnits: product, currency: currency)
    }

    /// The total of `amounts`, all of which must be in `currency`; zero for none.
    public static func sum<Amounts: Sequence>(_ amounts: Amounts, currency: Currency) throws(MoneyError) -> Money
    where Amounts.Element == Money {
        var total = Money.zero(currency)
        for amount in amounts { total = try total.adding(amount) }
        return total
    }

    /// Compares two amounts of the same currency; throws on a mismatch.
    public func compare(_ other: Money) throws(MoneyError) -> ComparisonResult {
        try requireSameCurrency(other)
        if minorUnits < other.minorUnits { return .orderedAscending }
        if minorUnits > other.minorUnits { return .orderedDescending }
        return .orderedSame
    }

    /// Throws ``MoneyError/currencyMismatch(_:_:)`` unless `other` is in this amount's currency.
    public func requireSameCurrency(_ other: Money) throws(MoneyError) {
        guard currency == other.currency else { throw .currencyMismatch(currency, other.currency) }
    }

    /// The amount for logs, as in `RUB 1,234.56`.
    public var description: String { formatted(locale: .en) }

    private enum CodingKeys: String, CodingKey {
        case amount
        case currency
    }

    /// Decodes `{"amount": <minor units>, "currency": "<code>"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        minorUnits = try container.decode(Int64.self, forKey: .amount)
        currency = try container.decode(Currency.self, forKey: .currency)
    }

    /// Encodes `{"amount": <minor units>, "currency": "<code>"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(minorUnits, forKey: .amount)
        try container.encode(currency, forKey: .currency)
    }
}

extension Money: Comparable {
    /// Orders amounts of one currency. Comparing different currencies is a programming error and traps;
    /// use ``compare(_:)`` where the currencies come from outside.
    public static func < (lhs: Money, rhs: Money) -> Bool {
        precondition(lhs.currency == rhs.currency, "comparing \(lhs.currency.code) with \(rhs.currency.code)")
        return lhs.minorUnits < rhs.minorUnits
    }
}

extension Money {
    /// The sum, as `try a + b`; throws on a currency mismatch or overflow.
    public static func + (lhs: Money, rhs: Money) throws(MoneyError) -> Money { try lhs.adding(rhs) }

    /// The difference, as `try a - b`; throws on a currency mismatch or overflow.
    public static func - (lhs: Money, rhs: Money) throws(MoneyError) -> Money { try lhs.subtracting(rhs) }

    /// The negation, as `try -a`; throws for `Int64.min`.
    public static prefix func - (amount: Money) throws(MoneyError) -> Money { try amount.negated() }

    /// The amount times a whole factor, as `try a * 3`; throws on overflow.
    public static func * (lhs: Money, rhs: Int64) throws(MoneyError) -> Money { try lhs.multiplied(by: rhs) }
}
