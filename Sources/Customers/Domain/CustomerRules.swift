import Contracts
import Foundation

/// What names, languages, addresses and notes must look like; every refusal names its field.
enum CustomerRules {
    /// Languages messages can be written in.
    static let locales: Set<String> = ["ru", "en"]
    static let maximumNameLength = 200
    static let maximumAddressPartLength = 120
    static let maximumNoteLength = 4000

    /// The name with runs of spaces collapsed.
    static func fullName(_ text: String, field: String = "fullName") throws(CustomerError) -> String {
        let name = collapsed(text)
        guard !name.isEmpty else { throw CustomerError.invalidField(field: field, reason: "must not be empty") }
        guard name.count <= maximumNameLength else {
            throw CustomerError.invalidField(field: field, reason: "must be at most \(maximumNameLength) characters")
        }
        guard name.contains(where: \.isLetter), !name.contains(where: isControl) else {
            throw CustomerError.invalidField(field: field, reason: "is not a name")
        }
        return name
    }

    /// The language code, when it is one the platform writes in.
    static func locale(_ text: String, field: String = "locale") throws(CustomerError) -> String {
        let code = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard locales.contains(code) else { throw CustomerError.invalidField(field: field, reason: "must be ru or en") }
        return code
    }

    /// The address with each part trimmed; an empty apartment means a private house.
    static func address(_ address: PostalAddress, field: String = "address") throws(CustomerError) -> PostalAddress {
        let city = try addressPart(address.city, field: "\(field).city")
        let street = try addressPart(address.street, field: "\(field).street")
        let building = try addressPart(address.building, field: "\(field).building")
        let apartment = collapsed(address.apartment ?? "")
        guard apartment.count <= maximumAddressPartLength, !apartment.contains(where: isControl) else {
            throw CustomerError.invalidField(field: "\(field).apartment", reason: "must be at most \(maximumAddressPartLength) characters")
        }
        return PostalAddress(city: city, street: street, building: building, apartment: apartment.isEmpty ? nil : apartment)
    }

    /// The text of an operator's note, trimmed.
    static func note(_ text: String, field: String = "text") throws(CustomerError) -> String {
        let note = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw CustomerError.invalidField(field: field, reason: "must not be empty") }
        guard note.count <= maximumNoteLength else {
            throw CustomerError.invalidField(field: field, reason: "must be at most \(maximumNoteLength) characters")
        }
        return note
    }

    /// A phone that may be cleared with an empty text.
    static func optionalPhone(_ text: String?) throws(CustomerError) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return try PhoneNumber.normalize(text)
    }

    /// An e-mail that may be cleared with an empty text.
    static func optionalEmail(_ text: String?) throws(CustomerError) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return try EmailAddress.validate(text)
    }

    private static func addressPart(_ text: String, field: String) throws(CustomerError) -> String {
        let part = collapsed(text)
        guard !part.isEmpty else { throw CustomerError.invalidField(field: field, reason: "must not be empty") }
        guard part.count <= maximumAddressPartLength, !part.contains(where: isControl) else {
            throw CustomerError.invalidField(field: field, reason: "must be at most \(maximumAddressPartLength) characters")
        }
        return part
    }

    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static func isControl(_ character: Character) -> Bool {
        character.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
