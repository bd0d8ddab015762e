import Contracts
import Foundation

/// Phone numbers as people type them, normalised to E.164.
public enum PhoneNumber {
    /// The E.164 form of `text`: `8 (916) 123-45-67`, `7 916 1234567`, `+7 916 123 45 67` and `916 123-45-67` all give
    /// `+79161234567`; other countries are accepted with a leading `+`.
    ///
    /// Throws ``CustomerError/invalidField(field:reason:)`` naming `field` for anything else.
    public static func normalize(_ text: String, field: String = "phone") throws(CustomerError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let international = trimmed.hasPrefix("+")
        let body = international ? trimmed.dropFirst() : Substring(trimmed)
        guard body.allSatisfy({ $0.isASCII && ($0.isNumber || separators.contains($0)) }) else {
            throw CustomerError.invalidField(field: field, reason: "may hold only digits, spaces, brackets, dashes and a leading +")
        }
        let digits = body.filter(\.isNumber)
        let national: Substring
        switch (international, digits.count, digits.first ?? " ") {
        case (true, 11, "7"), (false, 11, "7"), (false, 11, "8"): national = digits.dropFirst()
        case (false, 10, _): national = Substring(digits)
        case (true, 8...15, let first) where first != "7" && first != "0": return "+" + digits
        default: throw CustomerError.invalidField(field: field, reason: "is not a phone number (expected +7 and 10 digits)")
        }
        guard let first = national.first, first >= "3" else {
            throw CustomerError.invalidField(field: field, reason: "is not a phone number (expected +7 and 10 digits)")
        }
        return "+7" + national
    }

    /// The digits of an E.164 number, last first: the key that finds a customer by the end of their number.
    static func reversedDigits(_ e164: String) -> String {
        String(e164.filter(\.isNumber).reversed())
    }

    private static let separators: Set<Character> = [" ", "-", "(", ")", "."]
}
