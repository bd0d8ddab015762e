import Contracts
import Kernel

/// How contract numbers are written: literal text with `{yyyy}`, `{yy}`, `{mm}` and one `{seq}` or `{seq:N}`
/// (zero-padded to N digits), such as `LM-{yyyy}-{seq:6}` → `LM-2026-000042`.
///
/// The sequence restarts for each value of the date parts the pattern shows (per year for `{yyyy}`, per month
/// with `{mm}`), so a number is never repeated.
public struct ContractNumberPattern: Sendable, Hashable, CustomStringConvertible {
    /// The operator's default: `LM-{yyyy}-{seq:6}`.
    public static let standard = try! ContractNumberPattern("LM-{yyyy}-{seq:6}")

    enum Part: Sendable, Hashable {
        case literal(String)
        case year
        case shortYear
        case month
        case sequence(width: Int)

        var isSequence: Bool {
            if case .sequence = self { return true }
            return false
        }

        var hasStrayBrace: Bool {
            if case .literal(let text) = self { return text.contains("}") }
            return false
        }
    }

    /// The pattern as written.
    public let description: String
    let parts: [Part]

    /// Parses a pattern; throws ``CustomerError/invalidField(field:reason:)`` for `contractNumberPattern` when it has
    /// no `{seq}`, more than one, or an unknown placeholder.
    public init(_ pattern: String) throws(CustomerError) {
        var parts: [Part] = []
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else { throw Self.invalid("has an unclosed {") }
            parts.append(try Self.placeholder(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        guard parts.filter(\.isSequence).count == 1 else { throw Self.invalid("must hold exactly one {seq}") }
        guard !parts.contains(where: \.hasStrayBrace) else {
            throw Self.invalid("has a } without {")
        }
        self.description = pattern
        self.parts = parts
    }

    /// The counter a number signed on `day` draws from: `2026` for a yearly pattern, `2026-03` for a monthly one,
    /// empty for a pattern without dates.
    public func scope(on day: LocalDate) -> String {
        let hasMonth = parts.contains(.month)
        let hasYear = parts.contains(.year) || parts.contains(.shortYear)
        switch (hasYear || hasMonth, hasMonth) {
        case (true, true): return Self.pad(day.year, 4) + "-" + Self.pad(day.month, 2)
        case (true, false): return Self.pad(day.year, 4)
        default: return ""
        }
    }

    /// The number with sequence value `sequence` for a contract signed on `day`.
    public func format(sequence: Int64, on day: LocalDate) -> String {
        var result = ""
        for part in parts {
            switch part {
            case .literal(let text): result += text
            case .year: result += Self.pad(day.year, 4)
            case .shortYear: result += Self.pad(day.year % 100, 2)
            case .month: result += Self.pad(day.month, 2)
            case .sequence(let width): result += Self.pad(Int(sequence), width)
            }
        }
        return result
    }

    private static func placeholder(_ name: Substring) throws(CustomerError) -> Part {
        switch name {
        case "yyyy": return .year
        case "yy": return .shortYear
        case "mm": return .month
        case "seq": return .sequence(width: 1)
        default:
            guard name.hasPrefix("seq:"), let width = Int(name.dropFirst(4)), (1...18).contains(width) else {
                throw invalid("has an unknown placeholder {\(name)}")
            }
            return .sequence(width: width)
        }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func invalid(_ reason: String) -> CustomerError {
        .invalidField(field: "contractNumberPattern", reason: reason)
    }
}
