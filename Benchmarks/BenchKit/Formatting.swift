import Foundation

/// How figures read in docs/benchmarks.md.
public enum Formatting {
    /// `value` with `decimals` decimals.
    public static func fixed(_ value: Double, _ decimals: Int = 0) -> String {
        String(format: "%.\(decimals)f", value)
    }

    /// A summary as `median (minimum–maximum)`, rounded to whole units.
    public static func summary(_ summary: Summary, decimals: Int = 0) -> String {
        "\(fixed(summary.median, decimals)) (\(fixed(summary.minimum, decimals))–\(fixed(summary.maximum, decimals)))"
    }

    /// The median ratio with its spread and the number of pairs: `87.6% ± 3.1 (5 pairs)`, or as a factor
    /// (`3.52× ± 0.20`) when `asFactor`.
    public static func ratio(_ result: PairedResult, asFactor: Bool = false) -> String {
        let pairs = "\(result.pairs.count) pair\(result.pairs.count == 1 ? "" : "s")"
        if asFactor {
            return "\(fixed(result.medianRatio / 100, 2))× ± \(fixed(result.spread / 100, 2)) (\(pairs))"
        }
        return "\(fixed(result.medianRatio, 1))% ± \(fixed(result.spread, 1)) (\(pairs))"
    }

    /// The "met" column: yes, no or unstable, and why not when `problem` names one (errors, a broken ledger).
    public static func verdict(_ verdict: Verdict, problem: String? = nil) -> String {
        if let problem { return "no (\(problem))" }
        switch verdict {
        case .met: return "yes"
        case .missed: return "no"
        case .unstable: return "unstable"
        }
    }

    /// A Markdown table row.
    public static func row(_ cells: String...) -> String {
        "| " + cells.joined(separator: " | ") + " |"
    }
}
