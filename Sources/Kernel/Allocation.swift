extension Money {
    /// Splits the amount into parts proportional to `weights` that sum exactly to the amount.
    ///
    /// Each part first gets `amount × weight ÷ total` rounded toward zero; the minor units left over go one each
    /// to the parts with the largest remainders (the largest-remainder method), ties to the earlier part, so the
    /// result is deterministic. A negative amount is split as its magnitude and every part negated, so
    /// `allocate(-x) == -allocate(x)`. A zero weight always gets zero. Throws ``MoneyError/noParts`` for no
    /// weights, ``MoneyError/negativeWeight``, ``MoneyError/zeroTotalWeight`` when all are zero, and
    /// ``MoneyError/overflow`` when the weights' total does not fit in `Int64`.
    public func allocated(byWeights weights: [Int64]) throws(MoneyError) -> [Money] {
        guard !weights.isEmpty else { throw .noParts }
        var total: Int64 = 0
        for weight in weights {
            guard weight >= 0 else { throw .negativeWeight }
            let (sum, overflow) = total.addingReportingOverflow(weight)
            if overflow { throw .overflow }
            total = sum
        }
        guard total > 0 else { throw .zeroTotalWeight }

        let amount = minorUnits.magnitude
        let divisor = UInt64(total)
        var shares = [UInt64](repeating: 0, count: weights.count)
        var remainders = [UInt64](repeating: 0, count: weights.count)
        var allocated: UInt64 = 0
        for (index, weight) in weights.enumerated() {
            // weight ≤ total, so the quotient is at most `amount` and fits in 64 bits.
            let (share, remainder) = divisor.dividingFullWidth(amount.multipliedFullWidth(by: UInt64(weight)))
            shares[index] = share
            remainders[index] = remainder
            allocated += share
        }
        // Σ remainder / total is a whole number below the count of non-zero remainders, so the leftover units
        // always go to parts with a non-zero remainder, never to a zero weight.
        let leftover = Int(amount - allocated)
        if leftover > 0 {
            let order = weights.indices.sorted { lhs, rhs in
                remainders[lhs] != remainders[rhs] ? remainders[lhs] > remainders[rhs] : lhs < rhs
            }
            for index in order.prefix(leftover) { shares[index] += 1 }
        }
        let negative = minorUnits < 0
        var parts: [Money] = []
        parts.reserveCapacity(shares.count)
        for share in shares {
            parts.append(Money(minorUnits: try ExactArithmetic.signed(share, negative: negative), currency: currency))
        }
        return parts
    }

    /// Splits the amount into `count` parts that sum exactly to it and differ by at most one minor unit; the
    /// larger parts come first (1,00 ₽ in three is 0,34 + 0,33 + 0,33). Throws ``MoneyError/noParts`` when
    /// `count` is not positive.
    public func split(into count: Int) throws(MoneyError) -> [Money] {
        guard count > 0 else { throw .noParts }
        return try allocated(byWeights: [Int64](repeating: 1, count: count))
    }
}
