/// How a text travels as SMS: its encoding and the number of messages (segments) it takes, which is what it costs.
public struct SMSSegments: Sendable, Hashable {
    /// The encoding a text needs.
    public enum Encoding: String, Sendable, Hashable {
        /// The GSM 7-bit default alphabet: 160 septets in one message, 153 per part when concatenated.
        case gsm7
        /// UCS-2 (UTF-16 on the air): 70 units in one message, 67 per part. Any character outside GSM-7, Cyrillic
        /// included, puts the whole text in it.
        case ucs2
    }

    /// The encoding.
    public let encoding: Encoding
    /// The text's length in septets (GSM-7) or UTF-16 units (UCS-2).
    public let units: Int
    /// The messages it takes; 0 for an empty text.
    public let count: Int

    /// What `text` takes. Concatenated parts never split a two-septet character or a surrogate pair, so a part may
    /// carry one unit less than its limit; the count is exact, not `units / 153` rounded up.
    public init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        let septets = scalars.map(GSM7Alphabet.septets)
        if septets.allSatisfy({ $0 != nil }) {
            let costs = septets.map { $0! }
            self.init(encoding: .gsm7, costs: costs, single: 160, part: 153)
        } else {
            self.init(encoding: .ucs2, costs: scalars.map { $0.utf16.count }, single: 70, part: 67)
        }
    }

    private init(encoding: Encoding, costs: [Int], single: Int, part: Int) {
        self.encoding = encoding
        units = costs.reduce(0, +)
        if units == 0 {
            count = 0
        } else if units <= single {
            count = 1
        } else {
            var parts = 1
            var used = 0
            for cost in costs {
                if used + cost > part {
                    parts += 1
                    used = 0
                }
                used += cost
            }
            count = parts
        }
    }
}
