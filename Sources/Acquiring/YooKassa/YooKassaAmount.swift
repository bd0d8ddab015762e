import Kernel

/// YooKassa's amounts on the wire: `{"value": "100.00", "currency": "RUB"}`, the value a decimal string in major units.
struct YooKassaAmount: Codable, Sendable, Hashable {
    var value: String
    var currency: String

    init(_ money: Money) {
        value = Self.decimal(money.minorUnits, exponent: money.currency.minorUnitExponent)
        currency = money.currency.code
    }

    /// The amount as money, read exactly; `nil` when the value or the currency is not one we can hold.
    var money: Money? {
        guard let currency = Currency(code: currency), let minor = Self.minorUnits(value, exponent: currency.minorUnitExponent) else { return nil }
        return Money(minorUnits: minor, currency: currency)
    }

    /// `12345` with exponent 2 is `"123.45"`.
    static func decimal(_ minorUnits: Int64, exponent: Int) -> String {
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        var divisor: UInt64 = 1
        for _ in 0..<exponent { divisor *= 10 }
        let whole = magnitude / divisor
        var text = String(whole)
        if exponent > 0 {
            let fraction = String(magnitude % divisor)
            text += "." + String(repeating: "0", count: exponent - fraction.count) + fraction
        }
        return negative ? "-" + text : text
    }

    /// `"123.45"`, `"123.4"` or `"123"` with exponent 2 is `12345`, `12340`, `12300`; more fraction digits than the
    /// currency has, signs, exponents or overflow are `nil`.
    static func minorUnits(_ text: String, exponent: Int) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholeText = parts.first, !wholeText.isEmpty, wholeText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        var fractionText = parts.count == 2 ? String(parts[1]) : ""
        guard fractionText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), parts.count == 1 || !fractionText.isEmpty else { return nil }
        // Trailing zeros beyond the currency's digits change nothing ("100.000" is 100.00).
        while fractionText.count > exponent, fractionText.hasSuffix("0") { fractionText.removeLast() }
        guard fractionText.count <= exponent else { return nil }
        fractionText += String(repeating: "0", count: exponent - fractionText.count)
        var result: Int64 = 0
        for digit in (wholeText + fractionText).utf8 {
            let (shifted, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.addingReportingOverflow(Int64(digit - 48))
            if overflow1 || overflow2 { return nil }
            result = next
        }
        return result
    }
}
