import Foundation

/// An ISO 4217 currency: its alphabetic code and how many decimal digits its minor unit has (RUB: 2, kopecks).
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The three-letter ISO 4217 code, such as `RUB`.
    public let code: String
    /// The number of minor-unit digits: 2 means 100 minor units make one major unit.
    public let minorUnitExponent: Int
    /// The sign people write, such as `₽`; `nil` when the code itself is written.
    public let symbol: String?

    /// Creates a currency; the exponent must lie in 0...4 and the code must be three uppercase ASCII letters.
    public init(code: String, minorUnitExponent: Int, symbol: String? = nil) {
        precondition(Currency.isValidCode(code), "a currency code is three uppercase letters, got \(code)")
        precondition((0...4).contains(minorUnitExponent), "a minor-unit exponent lies in 0...4")
        self.code = code
        self.minorUnitExponent = minorUnitExponent
        self.symbol = symbol
    }

    /// The Russian rouble; 100 kopecks to the rouble.
    public static let rub = Currency(code: "RUB", minorUnitExponent: 2, symbol: "₽")
    /// The US dollar.
    public static let usd = Currency(code: "USD", minorUnitExponent: 2, symbol: "$")
    /// The euro.
    public static let eur = Currency(code: "EUR", minorUnitExponent: 2, symbol: "€")

    /// The currencies this platform knows by code.
    public static let known: [Currency] = [.rub, .usd, .eur]

    /// Looks a known currency up by its code; `nil` for a code the platform does not know.
    public init?(code: String) {
        guard let found = Currency.known.first(where: { $0.code == code }) else { return nil }
        self = found
    }

    /// How many minor units make one major unit (100 for RUB).
    public var minorUnitsPerMajor: Int64 {
        var result: Int64 = 1
        for _ in 0..<minorUnitExponent { result *= 10 }
        return result
    }

    /// The code.
    public var description: String { code }

    /// Decodes a known currency from its code.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        guard let currency = Currency(code: code) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown currency code \(code)")
        }
        self = currency
    }

    /// Encodes the code.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    private static func isValidCode(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }
}
