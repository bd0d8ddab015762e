import Foundation

/// Picks the language a client prefers from its `Accept-Language` header (RFC 9110 §12.5.4).
public enum AcceptLanguage {
    /// The offered language the header weighs highest, or nil when it accepts none of them (or is absent).
    ///
    /// A range matches a language when it is its tag or starts with it (`en-GB` matches `en`); `*` gives its weight to
    /// every language the header does not name; `q=0` refuses. On equal weights the earlier range in the header wins.
    public static func preferred<Language: RawRepresentable>(in header: String?, among offered: [Language]) -> Language?
    where Language.RawValue == String {
        guard let header else { return nil }
        let ranges = header.split(separator: ",").compactMap { item -> (range: String, weight: Double)? in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let range = parts.first, !range.isEmpty else { return nil }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (range, weight)
        }
        var best: (language: Language, weight: Double, position: Int)?
        for language in offered {
            let tag = language.rawValue.lowercased()
            let position =
                ranges.firstIndex { $0.range == tag || $0.range.hasPrefix(tag + "-") } ?? ranges.firstIndex { $0.range == "*" }
            guard let position, ranges[position].weight > 0 else { continue }
            let weight = ranges[position].weight
            if let best, best.weight > weight || (best.weight == weight && best.position <= position) { continue }
            best = (language, weight, position)
        }
        return best?.language
    }
}
