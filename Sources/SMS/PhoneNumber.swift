import Foundation

/// A mobile number in E.164 form (`+79255070602`), from what a person typed: `+7 925 507-06-02`, `8 (925) 507 06 02`,
/// `79255070602` and `9255070602` are all the same Russian number.
public struct PhoneNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `+` and the digits: country code first, at most 15 digits.
    public let e164: String

    /// The number `text` names. Without a `+`, it is read as Russian: 11 digits starting with 7 or 8, or 10 digits
    /// starting with 9 (a mobile number without its trunk prefix). Spaces, dashes, dots and parentheses are ignored.
    public init(_ text: String) throws(PhoneNumberError) {
        var digits = ""
        var international = false
        for (offset, character) in text.trimmingCharacters(in: .whitespaces).enumerated() {
            switch character {
            case "0"..."9": digits.append(character)
            case "+" where offset == 0: international = true
            case " ", "-", ".", "(", ")", "\u{00A0}": continue
            default: throw .invalidCharacter(character)
            }
        }
        guard !digits.isEmpty else { throw .empty }
        if international {
            guard digits.first != "0" else { throw .invalidCountryCode }
            if digits.hasPrefix("7") {
                guard digits.count == 11 else { throw .wrongLength(digits: digits.count, expected: "11 digits for +7") }
            } else {
                guard (8...15).contains(digits.count) else { throw .wrongLength(digits: digits.count, expected: "8 to 15 digits") }
            }
            e164 = "+" + digits
            return
        }
        switch (digits.count, digits.first) {
        case (11, "7"), (11, "8"): e164 = "+7" + digits.dropFirst()
        case (10, "9"): e164 = "+7" + digits
        case (11, _), (10, _): throw .notRussian
        default: throw .wrongLength(digits: digits.count, expected: "11 digits (+7 or 8 and 10 more) or a number starting with +")
        }
    }

    /// The digits without the `+`, as most SMS gateways take them.
    public var digits: String { String(e164.dropFirst()) }
    /// Whether it is a Russian (+7 9xx) mobile number.
    public var isRussianMobile: Bool { e164.hasPrefix("+79") }
    /// The E.164 form.
    public var description: String { e164 }

    /// Decodes the E.164 text it encodes as.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Encodes as its E.164 text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(e164)
    }
}

/// Why a text is not a phone number; its description is a sentence to show.
public enum PhoneNumberError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No digits.
    case empty
    /// A character that is not a digit, a leading `+` or a separator.
    case invalidCharacter(Character)
    /// Too few or too many digits.
    case wrongLength(digits: Int, expected: String)
    /// `+0…`: no country code starts with 0.
    case invalidCountryCode
    /// 10 or 11 digits that are not a Russian number; a foreign one needs its `+`.
    case notRussian

    /// The reason, in a sentence.
    public var description: String {
        switch self {
        case .empty: "the phone number has no digits"
        case .invalidCharacter(let character): "the phone number contains “\(character)”, which is not a digit"
        case .wrongLength(let digits, let expected): "the phone number has \(digits) digits; expected \(expected)"
        case .invalidCountryCode: "the phone number's country code starts with 0"
        case .notRussian: "the phone number is not a Russian one; write a foreign number with + and its country code"
        }
    }
}
