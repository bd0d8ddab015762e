import Foundation
import Kernel
import TestSupport
import Testing

@Suite struct MoneyTests {
    @Test func arithmeticAndPredicates() throws {
        let a = Money.rub(12_345)
        let b = Money.rub(-345)
        #expect(try a + b == .rub(12_000))
        #expect(try a - b == .rub(12_690))
        #expect(try -a == .rub(-12_345))
        #expect(try a * 3 == .rub(37_035))
        #expect(b.isNegative && !b.isZero && !b.isPositive)
        #expect(Money.zero(.rub).isZero)
        #expect(b < a)
        #expect(try a.compare(b) == .orderedDescending)
        #expect(try Money.sum([a, b, .rub(1)], currency: .rub) == .rub(12_001))
        #expect(try Money.sum([], currency: .rub) == .zero(.rub))
    }

    @Test func currencyMismatchThrows() {
        #expect(throws: MoneyError.currencyMismatch(.rub, .usd)) { try Money.rub(1) + Money(minorUnits: 1, currency: .usd) }
        #expect(throws: MoneyError.currencyMismatch(.rub, .eur)) { try Money.rub(1).compare(Money(minorUnits: 1, currency: .eur)) }
        #expect(throws: MoneyError.currencyMismatch(.rub, .usd)) { try Money.sum([.rub(1), Money(minorUnits: 1, currency: .usd)], currency: .rub) }
    }

    @Test func overflowIsReportedNotWrapped() {
        #expect(throws: MoneyError.overflow) { try Money.rub(.max) + .rub(1) }
        #expect(throws: MoneyError.overflow) { try Money.rub(.min) - .rub(1) }
        #expect(throws: MoneyError.overflow) { try -Money.rub(.min) }
        #expect(throws: MoneyError.overflow) { try Money.rub(.min).magnitude() }
        #expect(throws: MoneyError.overflow) { try Money.rub(.max / 2 + 1) * 2 }
        #expect(throws: MoneyError.overflow) { try Money.rub(.max).multiplied(by: 3, dividedBy: 2) }
        #expect(throws: MoneyError.overflow) { try Money.rub(.min).multiplied(by: -1, dividedBy: 1) }
        #expect(throws: MoneyError.divisionByZero) { try Money.rub(1).multiplied(by: 1, dividedBy: 0) }
    }

    @Test func randomAdditionMatchesWideArithmeticOrThrows() {
        var random = SplitMix64(seed: 0x4D6F_6E65_7931)
        for _ in 0..<5_000 {
            let a = random.amount()
            let b = random.amount()
            let exact = Int128(a) + Int128(b)
            let result = try? Money.rub(a) + Money.rub(b)
            if let fits = Int64(exactly: exact) {
                #expect(result == .rub(fits))
            } else {
                #expect(result == nil)
            }
        }
    }

    @Test func codableUsesMinorUnits() throws {
        let json = try JSONEncoder.sorted.encode(Money.rub(12_345))
        #expect(String(decoding: json, as: UTF8.self) == #"{"amount":12345,"currency":"RUB"}"#)
        let decoded = try JSONDecoder().decode(Money.self, from: Data(#"{"amount": -5, "currency": "RUB"}"#.utf8))
        #expect(decoded == .rub(-5))
        let huge = try JSONDecoder().decode(Money.self, from: try JSONEncoder().encode(Money.rub(.max)))
        #expect(huge == .rub(.max))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Money.self, from: Data(#"{"amount": 1, "currency": "XXX"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Money.self, from: Data(#"{"amount": 1.5, "currency": "RUB"}"#.utf8)) }
    }

    @Test func currencies() {
        #expect(Currency(code: "RUB") == .rub)
        #expect(Currency.rub.minorUnitExponent == 2)
        #expect(Currency.rub.minorUnitsPerMajor == 100)
        #expect(Currency(code: "rub") == nil)
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
