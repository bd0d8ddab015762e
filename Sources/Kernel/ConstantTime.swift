/// Comparison of secrets in time that does not depend on where they differ.
public enum ConstantTime {
    /// Whether `a` and `b` are equal; only their lengths leak through timing.
    public static func equals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
