import Foundation
import Kernel
import TestSupport
import Testing

@Suite struct MoneyFormattingTests {
    let space = "\u{00A0}"

    @Test func russian() {
        #expect(Money.rub(123_456).formatted(locale: .ru) == "1\(space)234,56\(space)₽")
        #expect(Money.rub(123_456).formatted() == "1\(space)234,56\(space)₽")
        #expect(Money.rub(5).formatted(locale: .ru) == "0,05\(space)₽")
        #expect(Money.rub(10_000).formatted(locale: .ru) == "100,00\(space)₽")
        #expect(Money.rub(-123_456_789).formatted(locale: .ru) == "-1\(space)234\(space)567,89\(space)₽")
        #expect(Money.rub(0).formatted(locale: .ru) == "0,00\(space)₽")
        #expect(Money.rub(99_999).formatted(locale: .ru) == "999,99\(space)₽")
    }

    @Test func english() {
        #expect(Money.rub(123_456).formatted(locale: .en) == "RUB 1,234.56")
        #expect(Money.rub(-5).formatted(locale: .en) == "-RUB 0.05")
        #expect(Money.rub(100_000_000).formatted(locale: .en) == "RUB 1,000,000.00")
        #expect(Money(minorUnits: 1_999, currency: .usd).formatted(locale: .en) == "USD 19.99")
    }

    @Test func extremesDoNotTrap() {
        #expect(Money.rub(.min).formatted(locale: .en) == "-RUB 92,233,720,368,547,758.08")
        #expect(Money.rub(.max).formatted(locale: .en) == "RUB 92,233,720,368,547,758.07")
    }

    @Test func currencyWithoutSymbolShowsCode() {
        let yen = Currency(code: "JPY", minorUnitExponent: 0)
        #expect(Money(minorUnits: 1_234_567, currency: yen).formatted(locale: .ru) == "1\(space)234\(space)567\(space)JPY")
        #expect(Money(minorUnits: 1_234_567, currency: yen).formatted(locale: .en) == "JPY 1,234,567")
    }

    @Test func parsingDecimalText() {
        #expect(Money(decimal: "1234.56", currency: .rub) == .rub(123_456))
        #expect(Money(decimal: "1 234,5", currency: .rub) == .rub(123_450))
        #expect(Money(decimal: "-0,05", currency: .rub) == .rub(-5))
        #expect(Money(decimal: "12", currency: .rub) == .rub(1_200))
        #expect(Money(decimal: "1.234", currency: .rub) == nil)
        #expect(Money(decimal: "abc", currency: .rub) == nil)
        #expect(Money(decimal: "", currency: .rub) == nil)
        #expect(Money(decimal: "1.", currency: .rub) == nil)
        #expect(Money(decimal: "99999999999999999999", currency: .rub) == nil)
    }

    @Test func formattedTextParsesBack() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let amount = Money.rub(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &random))
            let text = amount.formatted(locale: .ru).replacingOccurrences(of: "\u{00A0}₽", with: "")
            #expect(Money(decimal: text, currency: .rub) == amount)
        }
    }
}
