import Foundation

/// The normalised forms that names, addresses and numbers are indexed and searched in.
///
/// Keys are lower case with `ё` read as `е` and punctuation read as spaces, so `Пётр Иванов`, `петр  иванов` and
/// `ПЁТР ИВАНОВ` are one key; indexes compare them byte by byte (UTF-8 order), which is the order of code points.
enum SearchKey {
    /// Words that only say what kind of street or part of an address follows, dropped from address keys.
    static let addressTypeWords: Set<String> = [
        "ул", "улица", "пр", "пр-т", "просп", "проспект", "пер", "переулок", "ш", "шоссе", "б-р", "бул", "бульвар",
        "наб", "набережная", "пл", "площадь", "проезд", "пр-д", "туп", "тупик", "аллея", "мкр", "мкр-н", "микрорайон",
        "д", "дом", "кв", "квартира", "г", "город",
    ]

    /// Lower case, `ё` as `е`, anything but letters, digits and inner hyphens as single spaces.
    static func text(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for character in text.lowercased() {
            let kept: Character? =
                switch character {
                case "ё": "е"
                case _ where character.isLetter || character.isNumber || character == "-": character
                default: nil
                }
            guard let kept else {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.append(kept)
        }
        return result
    }

    /// The key of a full name.
    static func name(_ fullName: String) -> String { text(fullName) }

    /// The key of a service address: the street without its type word, the building without spaces, the apartment.
    static func address(street: String, building: String, apartment: String?) -> String {
        var words = streetWords(street)
        words.append(text(building).replacingOccurrences(of: " ", with: ""))
        if let apartment, !apartment.isEmpty { words.append(text(apartment).replacingOccurrences(of: " ", with: "")) }
        return words.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// What an operator typed for an address, in the form of ``address(street:building:apartment:)``.
    static func addressQuery(_ query: String) -> String {
        streetWords(query).joined(separator: " ")
    }

    /// The key of a contract number: upper case, no spaces.
    static func contractNumber(_ number: String) -> String {
        number.uppercased().filter { !$0.isWhitespace }
    }

    /// The smallest text greater than every text that starts with `prefix`, for index range scans; `nil` when none fits.
    static func upperBound(ofPrefix prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                var result = String.UnicodeScalarView()
                result.append(contentsOf: scalars)
                return String(result)
            }
        }
        return nil
    }

    private static func streetWords(_ street: String) -> [String] {
        text(street).split(separator: " ").map(String.init).filter { !addressTypeWords.contains($0) }
    }
}
