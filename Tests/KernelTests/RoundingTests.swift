import Kernel
import TestSupport
import Testing

@Suite struct RoundingTests {
    @Test(
        arguments: [
            (25, 10, 3), (24, 10, 2), (26, 10, 3), (-25, 10, -3), (-24, 10, -2), (-26, 10, -3), (5, 10, 1), (-5, 10, -1), (0, 7, 0),
        ] as [(Int64, Int64, Int64)])
    func halfUpIsHalfAwayFromZero(value: Int64, denominator: Int64, expected: Int64) throws {
        #expect(try Money.rub(value).multiplied(by: 1, dividedBy: denominator) == .rub(expected))
    }

    @Test func otherRules() throws {
        #expect(try Money.rub(25).divided(by: 10, rounding: .halfEven) == .rub(2))
        #expect(try Money.rub(35).divided(by: 10, rounding: .halfEven) == .rub(4))
        #expect(try Money.rub(-25).divided(by: 10, rounding: .halfEven) == .rub(-2))
        #expect(try Money.rub(27).divided(by: 10, rounding: .towardZero) == .rub(2))
        #expect(try Money.rub(-27).divided(by: 10, rounding: .towardZero) == .rub(-2))
        #expect(try Money.rub(21).divided(by: 10, rounding: .awayFromZero) == .rub(3))
        #expect(try Money.rub(-21).divided(by: 10, rounding: .awayFromZero) == .rub(-3))
        #expect(try Money.rub(100).divided(by: -3) == .rub(-33))
    }

    @Test func wideIntermediateProductsAreExact() throws {
        // Int64.max × 22 overflows 64 bits, yet the result fits.
        let vat = try Money.rub(.max).multiplied(by: 22, dividedBy: 122)
        #expect(vat.minorUnits == Int64((Int128(Int64.max) * 22 + 61) / 122))
        #expect(try Money.rub(.min).multiplied(by: 1, dividedBy: 1) == .rub(.min))
    }

    /// Compares every rule with a reference written over `Int128`, across many seeded random cases.
    @Test func matchesWideReference() {
        var random = SplitMix64(seed: 0x726F_756E_64)
        for _ in 0..<20_000 {
            let value = random.amount()
            let numerator = Int64.random(in: -1_000_000...1_000_000, using: &random)
            var denominator = Int64.random(in: -1_000_000...1_000_000, using: &random)
            if denominator == 0 { denominator = 1 }
            for rule in RoundingRule.allCases {
                let expected = Int64(exactly: reference(value, numerator, denominator, rule))
                let actual = try? Money.rub(value).multiplied(by: numerator, dividedBy: denominator, rounding: rule).minorUnits
                #expect(actual == expected, "\(value) × \(numerator) / \(denominator) \(rule)")
            }
        }
    }

    private func reference(_ value: Int64, _ numerator: Int64, _ denominator: Int64, _ rule: RoundingRule) -> Int128 {
        var product = Int128(value) * Int128(numerator)
        var divisor = Int128(denominator)
        if divisor < 0 { (product, divisor) = (-product, -divisor) }
        let negative = product < 0
        let magnitude = negative ? -product : product
        let quotient = magnitude / divisor
        let remainder = magnitude % divisor
        let up: Bool
        switch rule {
        case .towardZero: up = false
        case .awayFromZero: up = remainder > 0
        case .halfUp: up = 2 * remainder >= divisor && remainder > 0
        case .halfEven: up = 2 * remainder > divisor || (2 * remainder == divisor && quotient % 2 == 1)
        }
        let rounded = up ? quotient + 1 : quotient
        return negative ? -rounded : rounded
    }
}
