/// How an exact quotient is rounded to whole minor units.
///
/// Money rounds ``halfUp`` by default: "round half up on kopecks", where a half is rounded away from zero for
/// negative amounts too, so rounding is symmetric: `round(-x) == -round(x)` (−2.5 kopecks becomes −3).
public enum RoundingRule: String, Hashable, Sendable, Codable, CaseIterable {
    /// To the nearest minor unit; a half goes away from zero (2.5 → 3, −2.5 → −3). The accounting default.
    case halfUp
    /// To the nearest minor unit; a half goes to the even neighbour (2.5 → 2, 3.5 → 4).
    case halfEven
    /// Drops the fraction (2.7 → 2, −2.7 → −2).
    case towardZero
    /// Rounds any fraction away from zero (2.1 → 3, −2.1 → −3).
    case awayFromZero
}

/// Exact integer arithmetic behind money: products and quotients wider than 64 bits, rounded once.
public enum ExactArithmetic {
    /// `value × numerator ÷ denominator`, computed over 128 bits and rounded once by `rule`.
    ///
    /// Throws ``MoneyError/divisionByZero`` for a zero denominator and ``MoneyError/overflow`` when the rounded
    /// result does not fit in `Int64`; the intermediate product never overflows.
    public static func multiply(
        _ value: Int64, by numerator: Int64, dividedBy denominator: Int64, rounding rule: RoundingRule = .halfUp
    ) throws(MoneyError) -> Int64 {
        guard denominator != 0 else { throw .divisionByZero }
        let negative = ((value < 0) != (numerator < 0)) != (denominator < 0)
        let divisor = denominator.magnitude
        let product = value.magnitude.multipliedFullWidth(by: numerator.magnitude)
        // dividingFullWidth traps unless the quotient fits in 64 bits, which holds exactly when high < divisor.
        guard product.high < divisor else { throw .overflow }
        let (quotient, remainder) = divisor.dividingFullWidth(product)
        let roundUp: Bool
        switch rule {
        case .towardZero:
            roundUp = false
        case .awayFromZero:
            roundUp = remainder != 0
        case .halfUp:
            // remainder ≥ divisor / 2, written without doubling so it cannot overflow.
            roundUp = remainder != 0 && remainder >= divisor - remainder
        case .halfEven:
            let twiceAboveHalf = remainder > divisor - remainder
            let exactlyHalf = remainder == divisor - remainder
            roundUp = remainder != 0 && (twiceAboveHalf || (exactlyHalf && quotient & 1 == 1))
        }
        var magnitude = quotient
        if roundUp {
            let (incremented, overflow) = magnitude.addingReportingOverflow(1)
            if overflow { throw .overflow }
            magnitude = incremented
        }
        return try signed(magnitude, negative: negative)
    }

    /// Turns a magnitude and a sign into `Int64`, allowing `Int64.min`; throws when it does not fit.
    static func signed(_ magnitude: UInt64, negative: Bool) throws(MoneyError) -> Int64 {
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw .overflow }
            return Int64(truncatingIfNeeded: 0 &- magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw .overflow }
        return Int64(magnitude)
    }
}

extension Money {
    /// The amount times the fraction `numerator / denominator`, rounded once to whole minor units.
    ///
    /// The product is computed over 128 bits, so `amount × 22 / 122` is exact before rounding for every `Int64`
    /// amount. Throws on a zero denominator or when the result does not fit.
    public func multiplied(
        by numerator: Int64, dividedBy denominator: Int64, rounding rule: RoundingRule = .halfUp
    ) throws(MoneyError) -> Money {
        let result = try ExactArithmetic.multiply(minorUnits, by: numerator, dividedBy: denominator, rounding: rule)
        return Money(minorUnits: result, currency: currency)
    }

    /// The amount divided by a whole divisor, rounded to whole minor units; see ``allocated(byWeights:)`` to split
    /// an amount without losing the remainder.
    public func divided(by divisor: Int64, rounding rule: RoundingRule = .halfUp) throws(MoneyError) -> Money {
        try multiplied(by: 1, dividedBy: divisor, rounding: rule)
    }
}

extension ExactArithmetic {
    static func multiplyOrNil(_ value: Int64, by numerator: Int64, dividedBy denominator: Int64) -> Int64? {
        try? multiply(value, by: numerator, dividedBy: denominator, rounding: .towardZero)
    }
}
