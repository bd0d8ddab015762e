/// Why a money operation was refused; money never wraps around, mixes currencies or divides by zero silently.
public enum MoneyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operands are in different currencies.
    case currencyMismatch(Currency, Currency)
    /// The exact result does not fit in `Int64` minor units.
    case overflow
    /// A denominator or divisor was zero.
    case divisionByZero
    /// An allocation was asked for with no weights or no parts.
    case noParts
    /// An allocation weight was negative.
    case negativeWeight
    /// Every allocation weight was zero, so there is no ratio to split by.
    case zeroTotalWeight

    /// A short English explanation for logs.
    public var description: String {
        switch self {
        case .currencyMismatch(let lhs, let rhs): "currency mismatch: \(lhs.code) and \(rhs.code)"
        case .overflow: "money overflow"
        case .divisionByZero: "division by zero"
        case .noParts: "allocation needs at least one part"
        case .negativeWeight: "allocation weights must not be negative"
        case .zeroTotalWeight: "allocation weights must not all be zero"
        }
    }
}
