import Kernel

/// Invoice numbers: the period and a six-digit sequence within it, `2026-12-000001`.
public enum InvoiceNumber {
    /// The number of the `sequence`-th invoice of `period`.
    public static func format(period: BillingPeriod, sequence: Int64) -> String {
        let digits = String(sequence)
        return period.description + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
