import Foundation

/// A VAT rate as an exact fraction, such as 22/100.
public struct VATRate: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The rate's numerator, as given (22 for 22/100).
    public let numerator: Int64
    /// The rate's denominator, positive, as given (100 for 22/100).
    public let denominator: Int64

    /// Creates a rate `numerator / denominator`; the numerator must not be negative and the denominator must be
    /// positive. Rates compare by value: 11/50 equals 22/100.
    public init(numerator: Int64, denominator: Int64) {
        precondition(numerator >= 0 && denominator > 0, "a VAT rate is a non-negative fraction")
        self.numerator = numerator
        self.denominator = denominator
    }

    /// A whole-percent rate: `VATRate(percent: 22)` is 22/100.
    public init(percent: Int64) { self.init(numerator: percent, denominator: 100) }

    /// 22%: the standard rate for tax dates from 2026-01-01.
    public static let standard22 = VATRate(percent: 22)
    /// 20%: the standard rate for tax dates before 2026-01-01.
    public static let standard20 = VATRate(percent: 20)
    /// 0%.
    public static let zero = VATRate(percent: 0)

    /// The first tax date taxed at 22%.
    public static let changeover2026 = LocalDate(year: 2026, month: 1, day: 1)!

    /// The standard Russian rate for a tax date: 22% from 2026-01-01, 20% before.
    public static func rate(onTaxDay day: LocalDate) -> VATRate { day >= changeover2026 ? standard22 : standard20 }

    /// The standard Russian rate for the tax date on which `instant` falls in the operator's `timeZone`
    /// (Europe/Moscow by default): 22% from 2026-01-01 00:00 there, 20% before.
    public static func rate(on instant: Date, timeZone: TimeZone = .moscow) -> VATRate {
        rate(onTaxDay: LocalDate(containing: instant, in: timeZone))
    }

    /// Whether the rate is zero.
    public var isZero: Bool { numerator == 0 }

    /// The rate as a percent, as in `22%` or `10.5%` style text (`21/200` shows as `10.5%`).
    public var description: String {
        let hundredths = ExactArithmetic.multiplyOrNil(numerator, by: 10_000, dividedBy: denominator) ?? 0
        let whole = hundredths / 100
        let fraction = hundredths % 100
        if fraction == 0 { return "\(whole)%" }
        let fractionText = fraction % 10 == 0 ? String(fraction / 10) : LocalDate.pad(Int(fraction), 2)
        return "\(whole).\(fractionText)%"
    }

    /// Decodes `{"numerator": 22, "denominator": 100}`, validating it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let numerator = try container.decode(Int64.self, forKey: .numerator)
        let denominator = try container.decode(Int64.self, forKey: .denominator)
        guard numerator >= 0, denominator > 0 else {
            throw DecodingError.dataCorruptedError(forKey: .denominator, in: container, debugDescription: "not a VAT rate")
        }
        self.init(numerator: numerator, denominator: denominator)
    }

    /// Whether two rates are the same fraction.
    public static func == (lhs: VATRate, rhs: VATRate) -> Bool {
        let (a, b) = lhs.lowestTerms
        let (c, d) = rhs.lowestTerms
        return a == c && b == d
    }

    /// Hashes the fraction in lowest terms.
    public func hash(into hasher: inout Hasher) {
        let (a, b) = lowestTerms
        hasher.combine(a)
        hasher.combine(b)
    }

    private var lowestTerms: (Int64, Int64) {
        let divisor = VATRate.greatestCommonDivisor(numerator, denominator)
        return (numerator / divisor, denominator / divisor)
    }

    private static func greatestCommonDivisor(_ lhs: Int64, _ rhs: Int64) -> Int64 {
        var (a, b) = (lhs, rhs)
        while b != 0 { (a, b) = (b, a % b) }
        return a == 0 ? 1 : a
    }
}

/// Whether and how a price carries VAT.
public enum VATTreatment: String, Hashable, Sendable, Codable, CaseIterable {
    /// The standard rate for the tax date (``VATRate/rate(on:timeZone:)``).
    case standard
    /// Not subject to VAT ("без НДС"): no VAT is extracted or added.
    case exempt

    /// The rate for a tax date, or `nil` when exempt.
    public func rate(on instant: Date, timeZone: TimeZone = .moscow) -> VATRate? {
        switch self {
        case .standard: VATRate.rate(on: instant, timeZone: timeZone)
        case .exempt: nil
        }
    }

    /// The rate for a tax day, or `nil` when exempt.
    public func rate(onTaxDay day: LocalDate) -> VATRate? {
        switch self {
        case .standard: VATRate.rate(onTaxDay: day)
        case .exempt: nil
        }
    }
}
