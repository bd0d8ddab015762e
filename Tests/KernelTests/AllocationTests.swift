import Kernel
import TestSupport
import Testing

@Suite struct AllocationTests {
    @Test func examples() throws {
        #expect(try Money.rub(100).split(into: 3) == [.rub(34), .rub(33), .rub(33)])
        #expect(try Money.rub(-100).split(into: 3) == [.rub(-34), .rub(-33), .rub(-33)])
        #expect(try Money.rub(5).split(into: 7) == [.rub(1), .rub(1), .rub(1), .rub(1), .rub(1), .rub(0), .rub(0)])
        #expect(try Money.rub(100).allocated(byWeights: [1, 0, 1]) == [.rub(50), .rub(0), .rub(50)])
        // 10 by 1:1:1 gives 3.33 each and one kopeck left over; the first of the tied remainders takes it.
        #expect(try Money.rub(10).allocated(byWeights: [1, 1, 1]) == [.rub(4), .rub(3), .rub(3)])
        // Largest remainder, not first: 100 by 3:3:4 → 30, 30, 40 exactly; 101 by 1:2 → 33.67, 67.33 → 34, 67.
        #expect(try Money.rub(101).allocated(byWeights: [1, 2]) == [.rub(34), .rub(67)])
        #expect(try Money.rub(0).allocated(byWeights: [5, 7]) == [.rub(0), .rub(0)])
        #expect(try Money.rub(.min).split(into: 2) == [.rub(.min / 2), .rub(.min / 2)])
        #expect(try Money.rub(.max).allocated(byWeights: [.max / 2, .max / 2]) == [.rub(.max / 2 + 1), .rub(.max / 2)])
    }

    @Test func errors() {
        #expect(throws: MoneyError.noParts) { try Money.rub(1).allocated(byWeights: []) }
        #expect(throws: MoneyError.noParts) { try Money.rub(1).split(into: 0) }
        #expect(throws: MoneyError.negativeWeight) { try Money.rub(1).allocated(byWeights: [1, -1]) }
        #expect(throws: MoneyError.zeroTotalWeight) { try Money.rub(1).allocated(byWeights: [0, 0]) }
        #expect(throws: MoneyError.overflow) { try Money.rub(1).allocated(byWeights: [.max, 1]) }
    }

    /// Parts sum exactly, keep the amount's sign, never go to a zero weight, and stay within one kopeck of the
    /// exact share, for many seeded random cases.
    @Test func partsSumExactly() throws {
        var random = SplitMix64(seed: 0x616C_6C6F_63)
        for _ in 0..<5_000 {
            let amount = Money.rub(random.amount())
            let count = Int.random(in: 1...12, using: &random)
            let weights = (0..<count).map { _ in
                Int.random(in: 0..<4, using: &random) == 0 ? 0 : Int64.random(in: 1...1_000_000, using: &random)
            }
            guard weights.contains(where: { $0 > 0 }) else { continue }
            let parts = try amount.allocated(byWeights: weights)
            #expect(parts.count == weights.count)
            #expect(parts.reduce(Int128(0)) { $0 + Int128($1.minorUnits) } == Int128(amount.minorUnits))
            let total = Int128(weights.reduce(0, +))
            for (part, weight) in zip(parts, weights) {
                if weight == 0 { #expect(part.isZero) }
                #expect(part.isZero || part.isNegative == amount.isNegative)
                // |part·total − amount·weight| < total
                let error = Int128(part.minorUnits) * total - Int128(amount.minorUnits) * Int128(weight)
                #expect(error.magnitude < UInt128(total))
            }
        }
    }

    @Test func equalPartsDifferByAtMostOneKopeck() throws {
        var random = SplitMix64(seed: 0x6571_7561_6C)
        for _ in 0..<5_000 {
            let amount = Money.rub(random.amount())
            let count = Int.random(in: 1...50, using: &random)
            let parts = try amount.split(into: count)
            let values = parts.map(\.minorUnits)
            #expect(values.reduce(Int128(0)) { $0 + Int128($1) } == Int128(amount.minorUnits))
            #expect(Int128(values.max()!) - Int128(values.min()!) <= 1)
            // Larger magnitudes first: deterministic order.
            #expect(zip(values, values.dropFirst()).allSatisfy { $0.magnitude >= $1.magnitude })
        }
    }

    @Test func negationIsSymmetric() throws {
        var random = SplitMix64(seed: 99)
        for _ in 0..<2_000 {
            let amount = Int64.random(in: -1_000_000_000...1_000_000_000, using: &random)
            let weights = (0..<Int.random(in: 1...8, using: &random)).map { _ in Int64.random(in: 1...100, using: &random) }
            let positive = try Money.rub(amount).allocated(byWeights: weights)
            let negative = try Money.rub(-amount).allocated(byWeights: weights)
            #expect(positive.map { -$0.minorUnits } == negative.map(\.minorUnits))
        }
    }
}
