/// The conventions money is written in for people.
public enum MoneyLocale: String, Hashable, Sendable, Codable, CaseIterable {
    /// Russian: `1 234,56 ₽` — digits grouped by a no-break space (U+00A0), a decimal comma, and a no-break space
    /// before the currency sign (or code when the currency has no sign); `-1 234,56 ₽` when negative.
    case ru
    /// English: `RUB 1,234.56` — the ISO code first, digits grouped by commas, a decimal point; `-RUB 1,234.56`
    /// when negative.
    case en
}

extension Money {
    /// The amount written for people, the same on every machine (no `NumberFormatter`, no system locale data).
    ///
    /// Always shows every minor-unit digit (`100,00 ₽`, `RUB 0.05`).
    public func formatted(locale: MoneyLocale = .ru) -> String {
        let noBreakSpace = "\u{00A0}"
        let number: String
        switch locale {
        case .ru: number = formattedNumber(groupSeparator: noBreakSpace, decimalSeparator: ",")
        case .en: number = formattedNumber(groupSeparator: ",", decimalSeparator: ".")
        }
        let sign = isNegative ? "-" : ""
        switch locale {
        case .ru: return sign + number + noBreakSpace + (currency.symbol ?? currency.code)
        case .en: return sign + currency.code + " " + number
        }
    }

    /// The amount's magnitude as digits with separators, no sign and no currency: `1 234,56`.
    public func formattedNumber(groupSeparator: String, decimalSeparator: String) -> String {
        let magnitude = minorUnits.magnitude
        let scale = UInt64(currency.minorUnitsPerMajor)
        let whole = String(magnitude / scale)
        var grouped = ""
        for (index, character) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped += groupSeparator }
            grouped.append(character)
        }
        guard currency.minorUnitExponent > 0 else { return grouped }
        let fraction = String(magnitude % scale)
        return grouped + decimalSeparator + String(repeating: "0", count: currency.minorUnitExponent - fraction.count) + fraction
    }

    /// Parses a decimal amount as people type it — `1234.56`, `1234,5`, `-0,05`, `1 234,56` (spaces and no-break
    /// spaces between digits are ignored) — into exact minor units; `nil` for more fraction digits than the
    /// currency has, for anything else, or for an amount that does not fit.
    public init?(decimal text: String, currency: Currency) {
        var characters = Substring(text.filter { $0 != " " && $0 != "\u{00A0}" && $0 != "\u{202F}" })
        var negative = false
        if let first = characters.first, first == "-" || first == "+" {
            negative = first == "-"
            characters = characters.dropFirst()
        }
        let parts = characters.split(omittingEmptySubsequences: false) { $0 == "." || $0 == "," }
        guard parts.count <= 2, let wholeText = parts.first, let whole = LocalDate.digits(wholeText) else { return nil }
        var fraction = 0
        if parts.count == 2 {
            let fractionText = parts[1]
            guard fractionText.count <= currency.minorUnitExponent, let value = LocalDate.digits(fractionText) else { return nil }
            fraction = value
            for _ in fractionText.count..<currency.minorUnitExponent { fraction *= 10 }
        }
        let (scaled, overflow1) = Int64(whole).multipliedReportingOverflow(by: currency.minorUnitsPerMajor)
        let (magnitude, overflow2) = scaled.addingReportingOverflow(Int64(fraction))
        guard !overflow1, !overflow2 else { return nil }
        self.init(minorUnits: negative ? -magnitude : magnitude, currency: currency)
    }
}
