/// Russian letters in Latin, as people spell their names in e-mail addresses (`Щукин` → `shchukin`).
enum Transliteration {
    private static let table: [Character: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
        "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
        "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    ]

    /// `text` in lower-case Latin letters; characters without a rendering are dropped.
    static func latin(_ text: String) -> String {
        var result = ""
        for character in text.lowercased() {
            if let latin = table[character] {
                result += latin
            } else if character.isASCII, character.isLetter || character.isNumber {
                result.append(character)
            }
        }
        return result
    }
}
