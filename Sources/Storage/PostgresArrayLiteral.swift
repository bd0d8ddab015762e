/// PostgreSQL array literals (`{"a","b",NULL}`), sent as one text parameter and cast (`$1::text[]`), so a batch of
/// thousands of rows travels as a handful of parameters and `unnest` turns it back into rows.
public struct PostgresArrayLiteral: Sendable {
    private var text = "{"
    private var isEmpty = true

    /// An empty array.
    public init() {}

    /// A `text[]` parameter holding `values`.
    public static func text(_ values: [String]) -> SQLValue {
        var array = PostgresArrayLiteral()
        array.text.reserveCapacity(values.count * 40)
        for value in values { array.append(value) }
        return .text(array.literal)
    }

    /// A `bigint[]` parameter holding `values`.
    public static func bigint(_ values: [Int64]) -> SQLValue {
        var array = PostgresArrayLiteral()
        for value in values { array.append(value) }
        return .text(array.literal)
    }

    /// Appends a text element, or `NULL`.
    public mutating func append(_ value: String?) {
        separate()
        guard let value else {
            text += "NULL"
            return
        }
        text.append("\"")
        // Byte-wise: walking a million rows' text by Character (grapheme clusters) costs seconds.
        if value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            for scalar in value.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { text.unicodeScalars.append("\\") }
                text.unicodeScalars.append(scalar)
            }
        } else {
            text += value
        }
        text.append("\"")
    }

    /// Appends an integer element.
    public mutating func append(_ value: Int64) {
        separate()
        text += String(value)
    }

    /// Appends a boolean element.
    public mutating func append(_ value: Bool) {
        separate()
        text += value ? "t" : "f"
    }

    /// Appends a bound value's element form.
    public mutating func append(_ value: SQLValue) {
        switch value {
        case .null: append(nil as String?)
        case .text(let text): append(text)
        case .integer(let number): append(number)
        case .bool(let flag): append(flag)
        case .real(let number): append(String(number))
        case .bytes(let bytes):
            let digits = Array("0123456789abcdef")
            append("\\x" + String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }))
        }
    }

    /// The literal.
    public var literal: String { text + "}" }

    private mutating func separate() {
        if !isEmpty { text.append(",") }
        isEmpty = false
    }
}
